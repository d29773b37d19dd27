import { expect } from 'chai';
import { seccomp } from '../gen/agent.js';
import * as codec from './codec.js';
import * as fx from './testing/fixtures.js';
import { violation, violationEvent } from './testing/fixtures.js';

import pb = seccomp.agent.v1;

const wire = (bytes: Uint8Array): Buffer => Buffer.from(bytes);

/** A value's form: what each field is, recursively (a list by its first element); nothing null, no Long objects. */
function shape(v: unknown): unknown {
  if (v instanceof Uint8Array) return v.constructor.name;
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, f]) => [k, shape(f)]));
  return v === null ? 'null' : typeof v;
}
/** The shape with every list emptied: what an empty message must decode to. */
const emptied = (s: unknown): unknown =>
  Array.isArray(s) ? [] : s !== null && typeof s === 'object' ? Object.fromEntries(Object.entries(s).map(([k, f]) => [k, emptied(f)])) : s;

describe('codec: the types derived from agent.proto', () => {
  // The fixtures are typed with every field required, so they name every field the types have: an
  // empty message must decode to all of them, nested messages included (proto3 defaults).
  const cases: [string, { deserialize(b: Buffer): unknown }, unknown][] = [
    ['DoctorResponse', codec.doctorResponse, fx.doctorResponse],
    ['ListProfilesResponse', codec.listProfilesResponse, fx.listProfilesResponse],
    ['SyncProfilesRequest', codec.syncProfilesRequest, { ...fx.syncProfilesRequest, force: false }],
    ['SyncProfilesResponse', codec.syncProfilesResponse, fx.syncProfilesResponse],
    ['WatchViolationsRequest', codec.watchViolationsRequest, fx.watchRequest],
    ['VersionResponse', codec.versionResponse, fx.versionResponse],
  ];
  for (const [name, c, full] of cases) {
    it(`decodes an empty ${name} with every field present`, () => {
      expect(shape(c.deserialize(Buffer.alloc(0)))).to.deep.equal(emptied(shape(full)));
    });
  }

  it('decodes a Violation and StreamStats with every field present and the fixture back', () => {
    for (const ev of [fx.violationEvent, fx.statsEvent]) {
      const decoded = codec.watchEvent.deserialize(codec.watchEvent.serialize(ev));
      expect(shape(decoded)).to.deep.equal(shape(ev));
      expect(decoded).to.deep.equal(ev);
    }
  });
});

describe('codec: values from a different agent version', () => {
  it('decodes an event of a kind this client does not know to undefined', () => {
    expect(codec.watchEvent.deserialize(wire(pb.WatchEvent.encode({}).finish()))).to.equal(undefined);
  });

  it('shows an unspecified or unknown check status as a warning', () => {
    const bytes = pb.DoctorResponse.encode({
      checks: [
        { id: 'a', status: 0 },
        { id: 'b', status: 42 as pb.CheckStatus },
      ],
    }).finish();
    const res = codec.doctorResponse.deserialize(wire(bytes));
    expect(res.checks.map((c) => c.status)).to.deep.equal(['warn', 'warn']);
    expect(res.node.nodeName).to.equal('');
    expect(res.containers).to.deep.equal([]);
  });

  it('never reports an unknown sync outcome as success', () => {
    const bytes = pb.SyncProfilesResponse.encode({
      results: [
        { path: 'a', outcome: 0 },
        { path: 'b', outcome: 9 as pb.SyncOutcome },
      ],
    }).finish();
    expect(codec.syncProfilesResponse.deserialize(wire(bytes)).results.map((r) => r.outcome)).to.deep.equal(['error', 'error']);
  });

  it('decodes an unknown seccomp mode as unknown and an unknown source as empty', () => {
    const doc = pb.DoctorResponse.encode({ containers: [{ pid: 1, mode: 7 as pb.SeccompMode }] }).finish();
    expect(codec.doctorResponse.deserialize(wire(doc)).containers[0]?.mode).to.equal('unknown');
    const ev = pb.WatchEvent.encode({ violation: { source: 'ebpf' } }).finish();
    const decoded = codec.watchEvent.deserialize(wire(ev));
    expect(decoded?.kind === 'violation' && decoded.violation.source).to.equal('');
  });

  it('sends a pid beyond int32 (damaged input) as 0, unknown, never as another pid', () => {
    const ev = { kind: 'violation' as const, violation: { ...violation, pid: 99999999999999 } };
    const decoded = codec.watchEvent.deserialize(codec.watchEvent.serialize(ev));
    expect(decoded?.kind === 'violation' && decoded.violation.pid).to.equal(0);
    const ok = codec.watchEvent.deserialize(codec.watchEvent.serialize({ kind: 'violation', violation: { ...violation, pid: 0x7fffffff } }));
    expect(ok?.kind === 'violation' && ok.violation.pid).to.equal(0x7fffffff);
  });

  it('encodes what it decodes, byte for byte', () => {
    const bytes = codec.watchEvent.serialize(violationEvent);
    expect(codec.watchEvent.serialize(codec.watchEvent.deserialize(bytes)!)).to.deep.equal(bytes);
  });
});
