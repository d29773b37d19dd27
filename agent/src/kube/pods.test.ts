import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { silentLogger } from '../log.js';
import { containerIdOf, KubePodResolver, PodIndex } from './pods.js';

const ID_APP = 'a'.repeat(64);
const ID_INIT = 'b'.repeat(64);
const ID_DEBUG = 'c'.repeat(64);
const ID_OLD = 'd'.repeat(64);

function pod(name: string, uid: string, over: Partial<NonNullable<V1Pod['status']>> = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid, resourceVersion: '1' },
    spec: { nodeName: 'worker-1', containers: [{ name: 'app' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          containerID: `containerd://${ID_APP}`,
          image: 'busybox',
          imageID: '',
          ready: true,
          restartCount: 1,
          lastState: { terminated: { exitCode: 1, containerID: `containerd://${ID_OLD}` } },
        },
      ],
      initContainerStatuses: [{ name: 'init', containerID: `cri-o://${ID_INIT}`, image: 'busybox', imageID: '', ready: false, restartCount: 0 }],
      ephemeralContainerStatuses: [{ name: 'debugger', containerID: `docker://${ID_DEBUG}`, image: 'busybox', imageID: '', ready: false, restartCount: 0 }],
      ...over,
    },
  };
}

describe('PodIndex: naming the container a violation came from', () => {
  it('strips the runtime prefix of a container ID', () => {
    expect(containerIdOf(`containerd://${ID_APP}`)).to.equal(ID_APP);
    expect(containerIdOf(`cri-o://${ID_APP}`)).to.equal(ID_APP);
    expect(containerIdOf(undefined)).to.equal('');
  });

  it('names app, init, ephemeral and restarted containers', () => {
    const index = new PodIndex();
    index.upsert(pod('cart', 'uid-1'));
    expect(index.lookup('uid-1', ID_APP)).to.deep.equal({ namespace: 'shop', pod: 'cart', container: 'app' });
    expect(index.lookup('uid-1', ID_INIT)?.container).to.equal('init');
    expect(index.lookup('', ID_DEBUG)?.container).to.equal('debugger');
    expect(index.lookup('uid-1', ID_OLD)?.container).to.equal('app');
  });

  it('names the pod alone when the container is unknown', () => {
    const index = new PodIndex();
    index.upsert(pod('cart', 'uid-1'));
    expect(index.lookup('uid-1', 'f'.repeat(64))).to.deep.equal({ namespace: 'shop', pod: 'cart', container: '' });
    expect(index.lookup('uid-2', 'f'.repeat(64))).to.equal(undefined);
  });

  it('forgets the old container ids of an updated pod, and a deleted pod', () => {
    const index = new PodIndex();
    index.upsert(pod('cart', 'uid-1'));
    index.upsert(pod('cart', 'uid-1', { containerStatuses: [], initContainerStatuses: [], ephemeralContainerStatuses: [] }));
    expect(index.lookup('', ID_APP)).to.equal(undefined);
    index.remove(pod('cart', 'uid-1'));
    expect(index.lookup('uid-1', '')).to.equal(undefined);
    expect(index.size).to.equal(0);
  });
});

describe('KubePodResolver: pods of this node through the API server', () => {
  let server: Server;
  let watches: ServerResponse[];
  let requests: string[];
  let resolver: KubePodResolver | undefined;
  let failLists: number;

  beforeEach(async () => {
    watches = [];
    requests = [];
    failLists = 0;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (failLists > 0 && url.searchParams.get('watch') !== 'true') {
        failLists--;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'etcd unavailable', code: 503 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.searchParams.get('watch') === 'true') {
        res.flushHeaders();
        watches.push(res);
        return;
      }
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '5' }, items: [pod('cart', 'uid-1')] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await resolver?.stop();
    resolver = undefined;
    for (const w of watches) w.end();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return kc;
  };

  it('lists and watches only the pods on its node', async () => {
    resolver = new KubePodResolver({ kubeConfig: kubeConfig(), nodeName: 'worker-1', log: silentLogger });
    await resolver.start();
    expect(resolver.lookup('uid-1', ID_APP)).to.deep.equal({ namespace: 'shop', pod: 'cart', container: 'app' });
    while (watches.length === 0) await new Promise((r) => setTimeout(r, 10));
    watches[0]!.write(
      JSON.stringify({
        type: 'ADDED',
        object: { ...pod('dns', 'uid-2'), metadata: { name: 'dns', namespace: 'kube-system', uid: 'uid-2', resourceVersion: '6' } },
      }) + '\n',
    );
    while (!resolver.lookup('uid-2', '')) await new Promise((r) => setTimeout(r, 10));
    expect(resolver.lookup('uid-2', '')).to.deep.equal({ namespace: 'kube-system', pod: 'dns', container: '' });
    expect(requests.every((r) => decodeURIComponent(r).includes('fieldSelector=spec.nodeName=worker-1'))).to.equal(true);
  });

  it('retries after the API server fails', async () => {
    failLists = 2;
    resolver = new KubePodResolver({ kubeConfig: kubeConfig(), nodeName: 'worker-1', log: silentLogger, retryMs: 20 });
    await resolver.start();
    expect(resolver.lookup('uid-1', '')).to.equal(undefined);
    while (!resolver.lookup('uid-1', '')) await new Promise((r) => setTimeout(r, 10));
    expect(failLists).to.equal(0);
    expect(resolver.lookup('uid-1', ID_APP)?.container).to.equal('app');
  });
});
