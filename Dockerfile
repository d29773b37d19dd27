# syntax=docker/dockerfile:1
# The seccomp agent image. Build and push: docs/deployment.md.
#   docker build -t REGISTRY/seccomp-agent:VERSION .
# Base pinned by version, the release in .node-version (pin by digest too in a release pipeline: node:24.22.3-bookworm-slim@sha256:...).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# --- build: the whole workspace, dev dependencies included: tsc, then esbuild bundles the agent
# (scripts/bundle-agent.mjs) into agent/bundle with every JavaScript dependency inside.
FROM ${NODE_IMAGE} AS build
# seccomp-capture (agent/native): a BPF CO-RE skeleton, libbpf and libelf linked in statically.
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json lerna.json tsconfig.json tsconfig.base.json ./
COPY proto/package.json proto/
COPY profiles/package.json profiles/
COPY agent/package.json agent/
COPY cli/package.json cli/
COPY test/package.json test/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts scripts
COPY proto proto
COPY profiles profiles
COPY agent agent
COPY cli cli
COPY test test
RUN npm run build

# --- runtime: Node, the agent's bundle (no node_modules: the bundle holds its dependencies, and a
# bundle loads in ~50 MiB less memory than the same code from node_modules), and journalctl (the
# journald source runs it).
FROM ${NODE_IMAGE}
# journalctl comes with systemd; nothing of systemd runs here (the container's process is the agent).
RUN apt-get update \
 && apt-get install -y --no-install-recommends systemd \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/*
WORKDIR /app
ENV NODE_ENV=production
# The V8 heap settings the agent is measured with (docs/performance.md); the DaemonSet sets the same.
ENV NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=4"
COPY --from=build /src/agent/package.json agent/
COPY --from=build /src/agent/bin agent/bin
COPY --from=build /src/agent/bundle agent/bundle
COPY --from=build /src/agent/native/build/seccomp-capture /usr/local/bin/seccomp-capture
RUN ln -s /app/agent/bin/seccomp-agent.js /usr/local/bin/seccomp-agent
# Root, with every capability but SYSLOG dropped by the DaemonSet: the files the agent writes (the
# kubelet's seccomp dir) and reads (journal, audit log, kubelet config) belong to root and are not
# open to others, and a non-root process cannot be given capabilities by Kubernetes.
USER 0:0
ENTRYPOINT ["seccomp-agent"]
