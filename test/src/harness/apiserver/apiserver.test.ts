import { expect } from 'chai';
import { createServer, connect, type Server, type AddressInfo, type Socket } from 'node:net';
import { BatchV1Api, CoreV1Api, KubeConfig, PortForward, makeInformer, PatchStrategy, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import { TestApiServer } from './server.js';
import { node, pod } from './fixtures.js';

describe('test API server, driven by the real client-node', () => {
  let api: TestApiServer;
  let kc: KubeConfig;

  beforeEach(async () => {
    api = await TestApiServer.start();
    kc = new KubeConfig();
    kc.loadFromFile(await api.writeKubeconfig());
  });
  afterEach(async () => api.stop());

  it('lists pods with label and field selectors', async () => {
    api.apply(node('n1'));
    api.apply(pod('a', { node: 'n1', labels: { app: 'x' } }));
    api.apply(pod('b', { node: 'n2', labels: { app: 'x' } }));
    api.apply(pod('c', { node: 'n1', labels: { app: 'y' } }));
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listPodForAllNamespaces({ labelSelector: 'app=x', fieldSelector: 'spec.nodeName=n1' });
    expect(list.items.map((p) => p.metadata?.name)).to.deep.equal(['a']);
  });

  it('answers a missing object with a 404 Status the client surfaces', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    try {
      await core.readNamespacedPod({ name: 'nope', namespace: 'default' });
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as { code?: number }).code).to.equal(404);
    }
  });

  it("refuses a change of a Job's pod template with 422 Invalid, as the API server validates Jobs; other fields change", async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'ns' },
      spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox' }] } } },
    };
    api.apply(job);
    const batch = kc.makeApiClient(BatchV1Api);
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const template = { spec: { template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } } } };
    const refused = await batch.patchNamespacedJob({ name: 'migrate', namespace: 'ns', body: template }, merge).then(
      () => undefined,
      (err: { code?: number; body?: string }) => err,
    );
    expect(refused?.code).to.equal(422);
    expect(String(refused?.body)).to.contain('spec.template: Invalid value').and.contain('field is immutable');
    const labelled = await batch.patchNamespacedJob({ name: 'migrate', namespace: 'ns', body: { metadata: { labels: { a: 'b' } } } }, merge);
    expect(labelled.metadata?.labels).to.deep.equal({ a: 'b' });
  });

  it('feeds an informer with list then watch events', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer(kc, '/api/v1/namespaces/ns/configmaps', () => core.listNamespacedConfigMap({ namespace: 'ns' }));
    const seen: string[] = [];
    const added = new Promise<void>((resolve) => {
      informer.on('add', (cm: V1ConfigMap) => {
        seen.push(cm.metadata!.name!);
        if (seen.length === 2) resolve();
      });
    });
    api.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first', namespace: 'ns' } });
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'ns', body: { metadata: { name: 'second' } } });
    await added;
    await informer.stop();
    expect(seen).to.deep.equal(['first', 'second']);
  });

  it('port-forwards a TCP connection into the routed pod port', async () => {
    const echo: Server = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      api.apply(pod('agent', { node: 'n1', namespace: 'sys' }));
      api.routePortForward('sys', 'agent', 50051, { host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
      const forward = new PortForward(kc);
      const local = createServer((socket: Socket) => {
        void forward.portForward('sys', 'agent', [50051], socket, null, socket).then((ws) => {
          if (ws && typeof ws === 'object' && 'on' in ws) (ws as { on(e: string, f: () => void): void }).on('close', () => socket.destroy());
        });
      });
      await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
      const client = connect((local.address() as AddressInfo).port, '127.0.0.1');
      const reply = await new Promise<string>((resolve) => {
        client.once('data', (d) => resolve(d.toString()));
        client.write('ping through the API server');
      });
      client.destroy();
      local.close();
      expect(reply).to.equal('ping through the API server');
    } finally {
      echo.close();
    }
  });
});
