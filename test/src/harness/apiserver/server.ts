import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { serverSideApply } from './apply.js';
import { markDaemonSetReady } from './controllers.js';
import { groupList, resourceList } from './discovery.js';
import { NodeProxy } from './node-proxy.js';
import { BadRequestError, jsonPatch, mergePatch, type JsonPatchOp } from './patch.js';
import { PortForwards } from './port-forward.js';
import { matchesFields, matchesLabels, parseLabelSelector } from './selectors.js';
import { groupVersion, typeByKind, typeByPlural, type ResourceType } from './resources.js';
import { ConflictError, InvalidError, NotFoundError, ObjectStore, type KubeObject, type StoredEvent } from './store.js';

/**
 * A stand-in for the Kubernetes API server and the kubelet's port-forward, for tests: the real REST
 * shapes (lists, watches, Status errors, merge and apply patches, discovery) and the real
 * port-forward WebSocket protocol (v4.channel.k8s.io), so the real @kubernetes/client-node drives it.
 * This file is the REST front; patches, port-forward, the kubelet proxy, discovery and the one
 * controller it plays live beside it.
 */

interface Route {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  rest: string[];
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
}

export interface TestApiServerOptions {
  /** "VERB RESOURCE[/SUB]" pairs answered 403, e.g. "get nodes/proxy", "list configmaps". */
  forbidden?: string[];
  /** Mark DaemonSets ready (status as a controller would set it) as soon as they are written. */
  daemonSetsBecomeReady?: boolean;
}

export class TestApiServer {
  readonly store = new ObjectStore();
  readonly requests: RequestRecord[] = [];
  readonly #nodeProxy = new NodeProxy();
  readonly #forwards: PortForwards;
  readonly #watches = new Set<ServerResponse>();
  #forbidden: Set<string>;
  #tmp?: string;

  private constructor(
    private readonly server: Server,
    private readonly opts: TestApiServerOptions,
  ) {
    this.#forbidden = new Set(opts.forbidden ?? []);
    this.#forwards = new PortForwards(this.store, (rule) => this.#forbidden.has(rule));
  }

  static async start(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
    const server = createServer();
    const api = new TestApiServer(server, opts);
    server.on('request', (req, res) => {
      api.#handle(req, res).catch((err: unknown) => api.#status(res, 500, 'InternalError', String(err)));
    });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      api.requests.push({ method: 'GET', path: url.pathname, query: url.search });
      api.#forwards.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Writes a kubeconfig for this server (context "test"); returns its path. */
  async writeKubeconfig(opts: { namespace?: string; context?: string } = {}): Promise<string> {
    this.#tmp ??= await mkdtemp(join(tmpdir(), 'kseccomp-apiserver-'));
    const context = opts.context ?? 'test';
    const file = join(this.#tmp, `kubeconfig-${context}`);
    await writeFile(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // Plain HTTP on loopback: client-node allows it only with skip-TLS-verify set.
        clusters: [{ name: 'test', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'test', user: { token: 'test-token' } }],
        contexts: [{ name: context, context: { cluster: 'test', user: 'test', namespace: opts.namespace ?? 'default' } }],
        'current-context': context,
      }),
    );
    return file;
  }

  /** Puts an object in the store (create or replace), as a controller or the test would. */
  apply(object: KubeObject): KubeObject {
    const resource = typeByKind(object.apiVersion ?? 'v1', object.kind ?? '');
    if (!resource) throw new Error(`test API server does not serve ${object.apiVersion} ${object.kind}`);
    const existing = this.store.get(resource, object.metadata.namespace, object.metadata.name);
    if (!existing) return this.store.create(resource, object);
    return this.store.replace(resource, { ...object, metadata: { ...object.metadata, resourceVersion: undefined } });
  }

  /** The stored objects of a kind, e.g. list('v1', 'ConfigMap', 'kubectl-seccomp'). */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const resource = typeByKind(apiVersion, kind);
    if (!resource) throw new Error(`unknown kind ${kind}`);
    return this.store.list(resource, namespace);
  }

  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
    const resource = typeByKind(apiVersion, kind);
    if (!resource) throw new Error(`unknown kind ${kind}`);
    this.store.delete(resource, namespace, name);
  }

  /** Port-forwards to pod NS/NAME port P land on HOST:PORT (the "pod network"). */
  routePortForward(namespace: string, pod: string, podPort: number, to: { host: string; port: number }): void {
    this.#forwards.route(namespace, pod, podPort, to);
  }

  /** What GET /api/v1/nodes/NODE/proxy/configz answers (the kubelet's live config). */
  setKubeletConfig(node: string, kubeletConfig: unknown): void {
    this.#nodeProxy.setKubeletConfig(node, kubeletConfig);
  }

  forbid(rule: string): void {
    this.#forbidden.add(rule);
  }

  /** Undoes forbid(rule): the grant arrives later. */
  allow(rule: string): void {
    this.#forbidden.delete(rule);
  }

  async stop(): Promise<void> {
    for (const res of this.#watches) res.end();
    this.#forwards.closeAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.#tmp) await rm(this.#tmp, { recursive: true, force: true });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.search });
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    if (url.pathname === '/version') return this.#json(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0-test' });
    if (url.pathname === '/api') return this.#json(res, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (url.pathname === '/apis') return this.#json(res, 200, groupList());

    const route = this.#route(segments);
    if (route === 'discovery') return this.#json(res, 200, resourceList(segments));
    if (!route) return this.#status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);

    const verb = this.#verb(method, route, url);
    const ruleName = route.subresource ? `${route.resource.plural}/${route.subresource}` : route.resource.plural;
    if (this.#forbidden.has(`${verb} ${ruleName}`)) {
      return this.#status(res, 403, 'Forbidden', `${ruleName} is forbidden: User "test" cannot ${verb} resource "${ruleName}"`);
    }

    if (route.resource.plural === 'nodes' && route.subresource === 'proxy') {
      const answer = this.#nodeProxy.answer(route.name, route.rest);
      if (answer === undefined) return this.#status(res, 404, 'NotFound', 'configz not available');
      return this.#json(res, 200, answer);
    }

    try {
      switch (verb) {
        case 'list':
          return this.#list(res, route, url);
        case 'watch':
          return this.#watch(req, res, route, url);
        case 'get': {
          const obj = this.store.get(route.resource, route.namespace, route.name!);
          if (!obj) return this.#status(res, 404, 'NotFound', `${route.resource.plural} "${route.name}" not found`);
          return this.#json(res, 200, obj);
        }
        case 'create': {
          const body = (await readBody(req)) as KubeObject;
          if (route.namespace) body.metadata = { ...body.metadata, namespace: route.namespace };
          return this.#json(res, 201, this.#afterWrite(route.resource, this.store.create(route.resource, body)));
        }
        case 'update': {
          const body = (await readBody(req)) as KubeObject;
          if (route.namespace) body.metadata = { ...body.metadata, namespace: route.namespace };
          return this.#json(res, 200, this.#afterWrite(route.resource, this.store.replace(route.resource, body)));
        }
        case 'patch':
          return this.#json(res, 200, await this.#patch(req, route, url));
        case 'delete':
          return this.#json(res, 200, this.store.delete(route.resource, route.namespace, route.name!));
        default:
          return this.#status(res, 405, 'MethodNotAllowed', `${method} not allowed`);
      }
    } catch (err) {
      if (err instanceof NotFoundError) return this.#status(res, 404, 'NotFound', err.message);
      if (err instanceof ConflictError) return this.#status(res, 409, err.message.includes('exists') ? 'AlreadyExists' : 'Conflict', err.message);
      if (err instanceof BadRequestError) return this.#status(res, 400, 'BadRequest', err.message);
      if (err instanceof InvalidError) return this.#status(res, 422, 'Invalid', err.message);
      throw err;
    }
  }

  #verb(method: string, route: Route, url: URL): string {
    if (method === 'GET') {
      if (route.name) return 'get';
      return url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' ? 'watch' : 'list';
    }
    return { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
  }

  #route(segments: string[]): Route | 'discovery' | undefined {
    let group = '';
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments[1]) {
      version = segments[1];
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments[1] && segments[2]) {
      group = segments[1];
      version = segments[2];
      rest = segments.slice(3);
    } else return undefined;
    if (rest.length === 0) return 'discovery';
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const resource = typeByPlural(group, version, rest[0]!);
    if (!resource) return undefined;
    if (namespace !== undefined && !resource.namespaced) return undefined;
    return { resource, namespace, name: rest[1], subresource: rest[2], rest: rest.slice(3) };
  }

  #list(res: ServerResponse, route: Route, url: URL): void {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = url.searchParams.get('fieldSelector');
    const items = this.store
      .list(route.resource, route.namespace)
      .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o))
      .map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    this.#json(res, 200, {
      apiVersion: groupVersion(route.resource),
      kind: `${route.resource.kind}List`,
      metadata: { resourceVersion: this.store.resourceVersion },
      items,
    });
  }

  #watch(req: IncomingMessage, res: ServerResponse, route: Route, url: URL): void {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = url.searchParams.get('fieldSelector');
    const since = Number(url.searchParams.get('resourceVersion') || this.store.resourceVersion);
    const matches = (e: StoredEvent): boolean =>
      e.resource === route.resource &&
      (!route.namespace || e.object.metadata.namespace === route.namespace) &&
      matchesLabels(labels, e.object.metadata.labels) &&
      matchesFields(fields, e.object);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // Clients wait for the response head before they consider the watch open.
    res.flushHeaders();
    const send = (e: StoredEvent): void => {
      if (matches(e)) res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    };
    for (const e of this.store.eventsSince(route.resource, since)) send(e);
    const unsubscribe = this.store.subscribe(send);
    this.#watches.add(res);
    const end = (): void => {
      unsubscribe();
      this.#watches.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  async #patch(req: IncomingMessage, route: Route, url: URL): Promise<KubeObject> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const body = await readBody(req);
    const current = this.store.get(route.resource, route.namespace, route.name!);
    if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+json') {
      if (!url.searchParams.get('fieldManager')) throw new BadRequestError('PATCH with apply requires fieldManager');
      const applied = body as KubeObject;
      applied.metadata = { ...applied.metadata, name: route.name!, namespace: route.namespace };
      const merged = serverSideApply(current, applied, url.searchParams.get('fieldManager')!);
      if (current) merged.metadata.resourceVersion = undefined;
      if (url.searchParams.get('dryRun') === 'All') return merged;
      const out = current ? this.store.replace(route.resource, merged) : this.store.create(route.resource, merged);
      return this.#afterWrite(route.resource, out);
    }
    if (!current) throw new NotFoundError(`${route.resource.plural} "${route.name}" not found`);
    let next: KubeObject;
    if (type === 'application/json-patch+json') next = jsonPatch(current, body as JsonPatchOp[]);
    else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
      next = mergePatch(current, body) as KubeObject;
    } else throw new BadRequestError(`unsupported patch type ${type}`);
    next.metadata.resourceVersion = undefined;
    return this.#afterWrite(route.resource, this.store.replace(route.resource, next));
  }

  #afterWrite(resource: ResourceType, obj: KubeObject): KubeObject {
    return this.opts.daemonSetsBecomeReady ? markDaemonSetReady(this.store, resource, obj) : obj;
  }

  #json(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  #status(res: ServerResponse, code: number, reason: string, message: string): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    this.#json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const type = req.headers['content-type'] ?? '';
  try {
    return type.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`cannot decode body: ${(err as Error).message}`);
  }
}
