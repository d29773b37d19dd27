import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A throw-away CA in `dir` (ca.pem, ca.key) with a server certificate (server.pem, server.key) for
 * the subject alternative names given, e.g. "DNS:agent.test" or "IP:127.0.0.1", and a client
 * certificate (client.pem, client.key). For tests; needs openssl.
 */
export async function makePki(dir: string, serverNames = 'DNS:agent.test'): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'), '-days', '1', '-subj', '/CN=test-ca'], {
    cwd: dir,
  });
  for (const [name, ext] of [
    ['server', `subjectAltName=${serverNames}\nextendedKeyUsage=serverAuth\n`],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    await writeFile(join(dir, `${name}.ext`), ext);
    await run('openssl', ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], { cwd: dir });
    await run(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
      ],
      { cwd: dir },
    );
  }
}

/**
 * makePki in a new temporary directory named from `prefix`, which the caller removes. Without
 * openssl the test is skipped by `skip` (mocha's this.skip), except under CI=true, where that is a
 * failure.
 */
export async function tempPki(prefix: string, skip: () => void, serverNames?: string): Promise<string> {
  if (!(await opensslAvailable())) {
    if (process.env.CI) throw new Error('openssl is required for the TLS tests');
    skip();
  }
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await makePki(dir, serverNames);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

async function opensslAvailable(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}
