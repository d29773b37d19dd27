import { expect } from 'chai';
import type { CheckResult, DoctorResponse } from '@kubectl-seccomp/proto';
import { doctorExitCode, doctorReport } from './doctor.js';
import type { NodeOutcome } from './fanout.js';

const check = (id: string, status: CheckResult['status']): CheckResult => ({ id, status, summary: id, detail: '', remedy: status === 'pass' ? '' : 'fix it' });
const ok = (node: string, checks: CheckResult[]): NodeOutcome<DoctorResponse> => ({
  node,
  via: 'direct',
  endpoint: `${node}:1`,
  ok: true,
  value: { node: { nodeName: node } as DoctorResponse['node'], checks, containers: [] },
});

describe('doctor report', () => {
  it('counts checks over nodes and cluster, and lists nodes without an agent', () => {
    const out = doctorReport(
      [
        ok('a', [check('k.one', 'pass'), check('k.two', 'warn')]),
        { node: 'b', via: 'direct', endpoint: 'b:1', ok: false, failure: { kind: 'timeout', message: 'no answer within 10s' } },
      ],
      [{ node: 'c', reason: 'no agent pod on this node' }],
      [{ ...check('psa.restricted', 'fail'), object: 'namespace/default' }],
    );
    expect(out.nodes.map((n) => [n.node, n.status])).to.deep.equal([
      ['a', 'ok'],
      ['b', 'unreachable'],
      ['c', 'no-agent'],
    ]);
    expect(out.nodes[2]).to.include({ via: 'none', endpoint: '' });
    expect(out.summary).to.deep.equal({ pass: 1, warn: 1, fail: 1, skip: 0, unreachable: 2 });
  });

  it('exits 2 over 1 when a node could not be checked, 1 on a failure, and --strict fails warnings', () => {
    const warnOnly = doctorReport([ok('a', [check('x', 'warn')])], [], []);
    expect(doctorExitCode(warnOnly, false)).to.equal(0);
    expect(doctorExitCode(warnOnly, true)).to.equal(1);
    expect(doctorExitCode(doctorReport([ok('a', [check('x', 'fail')])], [], []), false)).to.equal(1);
    expect(doctorExitCode(doctorReport([ok('a', [check('x', 'fail')])], [{ node: 'b', reason: 'gone' }], []), false)).to.equal(2);
  });

  it('labels a node given as HOST:PORT with the name its agent reports, and keeps a name the user gave', () => {
    const byAddress: NodeOutcome<DoctorResponse> = { ...ok('worker-1', []), node: '10.0.0.5:9443', endpoint: '10.0.0.5:9443', labelFromAgent: true };
    const named: NodeOutcome<DoctorResponse> = { ...ok('worker-2', []), node: 'my-name', endpoint: '10.0.0.6:9443' };
    const out = doctorReport([byAddress, named], [], []);
    expect(out.nodes.map((n) => [n.node, n.endpoint])).to.deep.equal([
      ['worker-1', '10.0.0.5:9443'],
      ['my-name', '10.0.0.6:9443'],
    ]);
  });
});
