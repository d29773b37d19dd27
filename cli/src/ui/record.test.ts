import { expect } from 'chai';
import type { RecordOutput } from '../output/types.js';
import { renderRecord } from './record.js';

const out: RecordOutput = {
  workload: 'deployment/web',
  namespace: 'shop',
  base: 'catalog:runtime-default',
  auditProfile: 'kubectl-seccomp/record-shop-web.json',
  stopped: 'idle',
  recordedMs: 12_400,
  replicas: ['web-1', 'web-2'],
  containers: [
    {
      container: 'app',
      file: 'web_app.json',
      localhostProfile: '',
      added: ['chmod', 'mkdir'],
      alreadyAllowed: ['read'],
      unnamed: [],
      pods: ['web-1', 'web-2'],
      notes: [],
    },
    { container: 'side', file: 'web_side.json', localhostProfile: '', added: [], alreadyAllowed: [], unnamed: ['SCMP_ARCH_X86_64#999'], pods: [], notes: [] },
  ],
  events: { attributed: 14, notAttributed: 2, otherPods: 3 },
  restored: true,
  applied: false,
};

describe('record summary', () => {
  it('says per container what its profile adds to the base, the replicas seen, the events, and that the workload was restored', () => {
    const text = renderRecord(out);
    expect(text.split('\n')).to.deep.equal([
      'shop/deployment/web: recorded 12s under catalog:runtime-default in audit mode (no new syscall for --until-idle)',
      'replicas seen: 2 (web-1, web-2)',
      'events: 14 attributed to its pods, 2 not attributed (no pod known), 3 from other pods',
      '  CONTAINER  SYSCALLS ADDED        PODS  FILE           BOUND',
      '  app        +2: chmod mkdir       2     web_app.json',
      '  side       none beyond the base  0     web_side.json',
      '  side: 1 call with no name, not in the profile: SCMP_ARCH_X86_64#999',
      "restored: deployment/web's seccompProfile fields are as before the recording",
    ]);
  });
});
