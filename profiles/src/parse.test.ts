import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parseProfile } from './parse.js';
import type { ProfileIssue } from './model.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function errorsOf(text: string, source = 'p.json'): ProfileIssue[] {
  const r = parseProfile(text, source);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return r.errors;
}

/** A valid profile with one rule, into which each case patches something bad. */
function doc(patch: (d: Record<string, unknown>) => void): string {
  const d: Record<string, unknown> = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }] }],
  };
  patch(d);
  return JSON.stringify(d, null, 2);
}
const rule = (d: Record<string, unknown>) => (d.syscalls as Record<string, unknown>[])[0] as Record<string, unknown>;
const arg = (d: Record<string, unknown>) => (rule(d).args as Record<string, unknown>[])[0] as Record<string, unknown>;

describe('parseProfile', () => {
  it("accepts Docker's own default profile (archMap, includes/excludes, minKernel, comment, null subArchitectures)", () => {
    const r = parseProfile(readFileSync(fixture('docker-default.json')), 'docker-default.json');
    expect(r.ok, JSON.stringify(!r.ok && r.errors)).to.equal(true);
    if (!r.ok) return;
    expect(r.profile.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(r.profile.archMap?.find((e) => e.architecture === 'SCMP_ARCH_RISCV64')).to.deep.equal({ architecture: 'SCMP_ARCH_RISCV64' });
    expect(r.profile.syscalls?.[1]?.includes?.minKernel).to.equal('4.8');
    expect(r.profile.syscalls?.find((s) => s.comment)?.comment).to.match(/s390/);
  });

  it('reads bytes as UTF-8 and reports the source it was given', () => {
    const r = parseProfile(new TextEncoder().encode('{"defaultAction":"SCMP_ACT_LOG"}'), 'bytes.json');
    expect(r).to.deep.equal({ ok: true, source: 'bytes.json', profile: { defaultAction: 'SCMP_ACT_LOG' } });
  });

  describe('broken JSON gives line:column', () => {
    const cases: [string, string, number, number, RegExp][] = [
      ['trailing comma', '{\n  "defaultAction": "SCMP_ACT_LOG",\n}', 3, 1, /trailing commas/],
      ['comment', '{\n  // allow all\n  "defaultAction": "SCMP_ACT_ALLOW"\n}', 2, 3, /comments/],
      ['missing comma', '{\n  "defaultAction": "SCMP_ACT_LOG"\n  "flags": []\n}', 3, 3, /','/],
      ['unterminated string', '{"defaultAction": "SCMP_ACT_LOG', 1, 19, /unterminated string/],
      ['empty file', '', 1, 1, /expected a value/],
      ['garbage after the value', '{"defaultAction":"SCMP_ACT_LOG"} x', 1, 34, /unexpected character/],
    ];
    for (const [what, text, line, column, message] of cases) {
      it(what, () => {
        const [e, ...rest] = errorsOf(text, 'broken.json');
        expect(rest).to.have.length(0);
        expect(e).to.include({ code: 'invalid-json', source: 'broken.json', path: '', line, column });
        expect(e?.message).to.match(message);
      });
    }
  });

  it('never throws, even on something that is not text (a JavaScript caller)', () => {
    const r = parseProfile(undefined as unknown as string, 'nothing');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.errors[0]).to.include({ code: 'wrong-type', source: 'nothing' });
  });

  it('reports a deeply nested document as an error instead of overflowing the stack', () => {
    const deep = `{"defaultAction":"SCMP_ACT_ALLOW","x":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
    const result = parseProfile(deep, 'deep.json');
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.errors[0]).to.deep.include({ code: 'invalid-json', line: 1, column: 70, message: 'nested deeper than 32 levels' });
    // Brackets inside strings are text, not nesting.
    expect(parseProfile(`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["${'['.repeat(100)}\\"["],"action":"SCMP_ACT_LOG"}]}`, 's.json').ok).to.equal(
      true,
    );
  });

  it('rejects a byte order mark and invalid UTF-8', () => {
    expect(errorsOf('\ufeff{"defaultAction":"SCMP_ACT_LOG"}')[0]).to.include({ code: 'invalid-json', line: 1, column: 1 });
    const r = parseProfile(new Uint8Array([0x7b, 0xff, 0x7d]), 'bin.json');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.errors[0]).to.include({ code: 'invalid-utf8', source: 'bin.json' });
  });

  describe('bad input names the exact JSON pointer and code', () => {
    const cases: [string, (d: Record<string, unknown>) => void, string, string][] = [
      ['top level not an object', () => {}, '', 'wrong-type'],
      ['missing defaultAction', (d) => delete d.defaultAction, '', 'missing-field'],
      ['unknown default action', (d) => (d.defaultAction = 'SCMP_ACT_DENY'), '/defaultAction', 'invalid-action'],
      ['unknown rule action', (d) => (rule(d).action = 'allow'), '/syscalls/0/action', 'invalid-action'],
      ['missing rule action', (d) => delete rule(d).action, '/syscalls/0', 'missing-field'],
      ['action of the wrong type', (d) => (rule(d).action = 3), '/syscalls/0/action', 'wrong-type'],
      ['unknown top-level key', (d) => (d.defaultaction = 'SCMP_ACT_LOG'), '/defaultaction', 'unknown-field'],
      ['unknown rule key', (d) => (rule(d).nmaes = ['x']), '/syscalls/0/nmaes', 'unknown-field'],
      ['unknown arg key', (d) => (arg(d).valu = 1), '/syscalls/0/args/0/valu', 'unknown-field'],
      ['unknown includes key', (d) => (rule(d).includes = { capabilities: ['CAP_SYS_ADMIN'] }), '/syscalls/0/includes/capabilities', 'unknown-field'],
      ['unknown excludes key', (d) => (rule(d).excludes = { kernel: '5.1' }), '/syscalls/0/excludes/kernel', 'unknown-field'],
      ['unknown archMap key', (d) => (d.archMap = [{ architecture: 'SCMP_ARCH_X86_64', subArches: [] }]), '/archMap/0/subArches', 'unknown-field'],
      ['unknown operator', (d) => (arg(d).op = 'SCMP_CMP_EQUAL'), '/syscalls/0/args/0/op', 'invalid-operator'],
      ['unknown flag', (d) => (d.flags = ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOGS']), '/flags/1', 'invalid-flag'],
      ['unknown architecture', (d) => (d.architectures = ['SCMP_ARCH_X86_64', 'x86_64']), '/architectures/1', 'invalid-arch'],
      ['unknown archMap architecture', (d) => (d.archMap = [{ architecture: 'SCMP_ARCH_AMD64' }]), '/archMap/0/architecture', 'invalid-arch'],
      [
        'unknown sub-architecture',
        (d) => (d.archMap = [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_I386'] }]),
        '/archMap/0/subArchitectures/0',
        'invalid-arch',
      ],
      ['unknown Docker arch in includes', (d) => (rule(d).includes = { arches: ['x86_64'] }), '/syscalls/0/includes/arches/0', 'invalid-arch'],
      ['arg index 6', (d) => (arg(d).index = 6), '/syscalls/0/args/0/index', 'arg-index-range'],
      ['negative arg index', (d) => (arg(d).index = -1), '/syscalls/0/args/0/index', 'invalid-integer'],
      ['fractional arg value', (d) => (arg(d).value = 1.5), '/syscalls/0/args/0/value', 'invalid-integer'],
      ['arg value as a string', (d) => (arg(d).value = '1'), '/syscalls/0/args/0/value', 'wrong-type'],
      ['missing op', (d) => delete arg(d).op, '/syscalls/0/args/0', 'missing-field'],
      ['empty syscall name', (d) => (rule(d).names = ['read', '']), '/syscalls/0/names/1', 'empty-name'],
      ['non-string syscall name', (d) => (rule(d).names = ['read', 0]), '/syscalls/0/names/1', 'wrong-type'],
      ['empty singular name', (d) => ((rule(d).name = ' '), delete rule(d).names), '/syscalls/0/name', 'empty-name'],
      ['rule without names', (d) => delete rule(d).names, '/syscalls/0', 'missing-names'],
      ['rule with empty names', (d) => (rule(d).names = []), '/syscalls/0', 'missing-names'],
      ['rule with name and names', (d) => (rule(d).name = 'open'), '/syscalls/0', 'name-and-names'],
      ['negative errnoRet', (d) => ((rule(d).action = 'SCMP_ACT_ERRNO'), (rule(d).errnoRet = -1)), '/syscalls/0/errnoRet', 'invalid-integer'],
      ['fractional defaultErrnoRet', (d) => (d.defaultErrnoRet = 1.5), '/defaultErrnoRet', 'invalid-integer'],
      ['exponent defaultErrnoRet', (d) => (d.defaultErrnoRet = 1e21), '/defaultErrnoRet', 'invalid-integer'],
      ['syscalls not an array', (d) => (d.syscalls = {}), '/syscalls', 'wrong-type'],
      ['bad minKernel', (d) => (rule(d).includes = { minKernel: '4.14.0' }), '/syscalls/0/includes/minKernel', 'invalid-min-kernel'],
      ['NOTIFY without listenerPath', (d) => (rule(d).action = 'SCMP_ACT_NOTIFY'), '/syscalls/0/action', 'notify-without-listener'],
    ];
    for (const [what, patch, path, code] of cases) {
      it(what, () => {
        const text = what === 'top level not an object' ? '[]' : doc(patch);
        const errors = errorsOf(text, 'case.json');
        expect(errors.map((e) => [e.path, e.code])).to.deep.include([path, code]);
        const e = errors.find((x) => x.path === path && x.code === code);
        expect(e?.source).to.equal('case.json');
        expect(e?.severity).to.equal('error');
        expect(e?.line).to.be.a('number');
        expect(e?.column).to.be.a('number');
      });
    }
  });

  it('puts line:column on the offending node', () => {
    const text = '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [\n    { "names": ["read"], "action": "SCMP_ACT_ALOW" }\n  ]\n}';
    const [e] = errorsOf(text);
    expect(e).to.include({ path: '/syscalls/0/action', line: 4, column: 36, code: 'invalid-action' });
    expect(e?.message).to.match(/SCMP_ACT_ALOW/);
  });

  it('rejects integers beyond 2^53 instead of corrupting them', () => {
    const text = doc((d) => (arg(d).value = 0)).replace('"value": 0', '"value": 18446744073709551615');
    const [e] = errorsOf(text);
    expect(e).to.include({ code: 'unsafe-integer', path: '/syscalls/0/args/0/value' });
    const edge = doc((d) => (arg(d).value = 0)).replace('"value": 0', `"value": ${Number.MAX_SAFE_INTEGER}`);
    const r = parseProfile(edge, 'edge.json');
    expect(r.ok && r.profile.syscalls?.[0]?.args?.[0]?.value).to.equal(Number.MAX_SAFE_INTEGER);
  });

  it('rejects duplicate keys at any level', () => {
    const top = errorsOf('{"defaultAction":"SCMP_ACT_LOG","defaultAction":"SCMP_ACT_ALLOW"}');
    expect(top[0]).to.include({ code: 'duplicate-key', path: '/defaultAction', line: 1, column: 33 });
    const inRule = errorsOf('{"defaultAction":"SCMP_ACT_LOG","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","action":"SCMP_ACT_ERRNO"}]}');
    expect(inRule[0]).to.include({ code: 'duplicate-key', path: '/syscalls/0/action' });
  });

  it('escapes keys in JSON pointers', () => {
    const [e] = errorsOf('{"defaultAction":"SCMP_ACT_LOG","a/b~c":1}');
    expect(e?.path).to.equal('/a~1b~0c');
  });

  it('accepts NOTIFY with a listenerPath, and null for optional fields', () => {
    const r = parseProfile(
      '{"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock","flags":null,"syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY","args":null}]}',
      'n.json',
    );
    expect(r.ok).to.equal(true);
    if (r.ok)
      expect(r.profile).to.deep.equal({
        defaultAction: 'SCMP_ACT_ALLOW',
        listenerPath: '/run/agent.sock',
        syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }],
      });
  });

  it('collects every error, not just the first', () => {
    const errors = errorsOf(doc((d) => ((d.defaultAction = 'X'), (arg(d).index = 9), (d.bogus = true))));
    expect(errors.map((e) => e.code)).to.have.members(['invalid-action', 'arg-index-range', 'unknown-field']);
  });
});
