import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { forwardPort } from './portforward.js';

/** An API server that is not there: the tunnel fails, but the local end can still be dialled. */
function unreachableCluster(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** Dials the forward's Unix socket as another user (setuid in a child process): "connected" or the error code. */
function dialAs(uid: number, socketPath: string): Promise<string> {
  const script = `require('net').connect(${JSON.stringify(socketPath)}).on('connect', function () { console.log('connected'); this.destroy(); }).on('error', (e) => console.log(e.code))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { uid, gid: uid, timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

describe('the port-forward listener', function () {
  this.timeout(30_000);

  it('is a Unix socket only its owner can dial, removed on close', async function () {
    if (process.getuid?.() !== 0) {
      if (process.env.CI) throw new Error('prerequisite missing under CI: needs root to dial as another user');
      console.warn('      skipped: needs root to dial as another user');
      this.skip();
    }
    const forward = await forwardPort(unreachableCluster(), 'kubectl-seccomp', 'agent-x', 50051);
    const socketPath = forward.address.replace(/^unix:/, '');
    try {
      expect(forward.address).to.match(/^unix:\//);
      expect(await dialAs(65534, socketPath)).to.equal('EACCES');
      // The owner reaches it (the tunnel behind it then fails: there is no API server).
      await new Promise<void>((resolve, reject) =>
        connect(socketPath)
          .once('connect', function (this: ReturnType<typeof connect>) {
            this.destroy();
            resolve();
          })
          .once('error', reject),
      );
    } finally {
      await forward.close();
    }
    expect(existsSync(path.dirname(socketPath))).to.equal(false);
  });
});
