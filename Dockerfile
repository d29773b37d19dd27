# syntax=docker/dockerfile:1
# The seccomp agent image. Build and push: docs/deployment.md.
#   docker build -t REGISTRY/seccomp-agent:VERSION .
# Base pinned by version (pin by digest too in a release pipeline: node:20.20.2-bookworm-slim@sha256:...).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# --- build: the whole workspace, dev dependencies included, compiled with tsc.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json lerna.json tsconfig.json tsconfig.base.json ./
COPY proto/package.json proto/
COPY profiles/package.json profiles/
COPY agent/package.json agent/
COPY cli/package.json cli/
COPY test/package.json test/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY proto proto
COPY profiles profiles
COPY agent agent
COPY cli cli
COPY test test
RUN npm run build

# --- deps: production dependencies of the agent and the packages it imports, nothing else.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY proto/package.json proto/
COPY profiles/package.json profiles/
COPY agent/package.json agent/
COPY cli/package.json cli/
COPY test/package.json test/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w agent -w proto -w profiles

# --- runtime: Node, the agent, and journalctl (the journald source runs it).
FROM ${NODE_IMAGE}
# journalctl comes with systemd; nothing of systemd runs here (the container's process is the agent).
RUN apt-get update \
 && apt-get install -y --no-install-recommends systemd \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/proto/package.json proto/
COPY --from=build /src/proto/dist proto/dist
COPY --from=build /src/proto/gen proto/gen
COPY --from=build /src/proto/proto proto/proto
COPY --from=build /src/profiles/package.json profiles/
COPY --from=build /src/profiles/dist profiles/dist
COPY --from=build /src/profiles/catalog profiles/catalog
COPY --from=build /src/profiles/data profiles/data
COPY --from=build /src/agent/package.json agent/
COPY --from=build /src/agent/dist agent/dist
COPY --from=build /src/agent/bin agent/bin
RUN ln -s /app/agent/bin/seccomp-agent.js /usr/local/bin/seccomp-agent
# Root, with every capability but SYSLOG dropped by the DaemonSet: the files the agent writes (the
# kubelet's seccomp dir) and reads (journal, audit log, kubelet config) belong to root and are not
# open to others, and a non-root process cannot be given capabilities by Kubernetes.
USER 0:0
ENTRYPOINT ["seccomp-agent"]
