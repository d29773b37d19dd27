import { expect } from 'chai';
import { canonicalize, profileDigest, serializeProfile, sha256Hex } from './canonical.js';
import { parseProfile } from './parse.js';
import { loadFixture } from './testing/fixtures.js';
import type { SeccompProfile } from './model.js';

const parse = (text: string): SeccompProfile => {
  const r = parseProfile(text, 't.json');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.profile;
};

describe('canonical form and digest', () => {
  const a = '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}';
  const b = `{
    "syscalls": [ { "args": [ { "op": "SCMP_CMP_EQ", "value": 1, "index": 0 } ], "action": "SCMP_ACT_ALLOW", "names": [ "read" ] } ],
    "defaultAction":   "SCMP_ACT_ERRNO"
  }`;

  it('the digest ignores key order and whitespace', () => {
    expect(profileDigest(parse(a))).to.equal(profileDigest(parse(b)));
    expect(canonicalize(parse(b))).to.equal(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"action":"SCMP_ACT_ALLOW","args":[{"index":0,"op":"SCMP_CMP_EQ","value":1}],"names":["read"]}]}',
    );
  });

  it('the digest changes with the content', () => {
    expect(profileDigest(parse(a))).to.not.equal(profileDigest(parse(a.replace('"read"', '"write"'))));
    expect(profileDigest(parse(a))).to.match(/^[0-9a-f]{64}$/);
  });

  it('sha256Hex hashes strings as UTF-8 and bytes as given', () => {
    expect(sha256Hex('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('abc'))).to.equal(sha256Hex('abc'));
  });

  it('serializeProfile: defaultAction first, 2-space JSON, trailing newline, same bytes for equal profiles', () => {
    const text = serializeProfile(parse(b));
    expect(text).to.equal(serializeProfile(parse(a)));
    expect(text.startsWith('{\n  "defaultAction": "SCMP_ACT_ERRNO",\n')).to.equal(true);
    expect(text.endsWith('}\n')).to.equal(true);
    expect(text).to.contain('"names": [\n        "read"\n      ],\n      "action"');
  });

  it('serializeProfile leaves out keys the model does not know', () => {
    const p = { defaultAction: 'SCMP_ACT_LOG', extra: 1 } as unknown as SeccompProfile;
    expect(serializeProfile(p)).to.equal('{\n  "defaultAction": "SCMP_ACT_LOG"\n}\n');
  });

  it('serializeProfile round-trips through parseProfile (Docker default included)', () => {
    const docker = loadFixture('docker-default.json');
    const again = parse(serializeProfile(docker));
    expect(again).to.deep.equal(docker);
    expect(serializeProfile(again)).to.equal(serializeProfile(docker));
    expect(profileDigest(again)).to.equal(profileDigest(docker));
  });
});
