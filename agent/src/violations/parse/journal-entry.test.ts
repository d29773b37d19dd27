import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { JournalEntry, journalText } from './journal-entry.js';

const fixture = (name: string): string[] =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/records/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

/** What JSON.parse makes of a line, when it is an object. */
function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The entry answers exactly as JSON.parse: for every field, and for absent ones. */
function expectSameAsJsonParse(line: string): void {
  const entry = JournalEntry.parse(line);
  const object = parsed(line);
  expect(entry === undefined, `accepted: ${line}`).to.equal(object === undefined);
  if (!entry || !object) return;
  for (const [name, value] of Object.entries(object)) {
    // Compared as JSON text first: chai's deep equality is too slow for the thousands of lines below.
    if (JSON.stringify(entry.field(name)) !== JSON.stringify(value)) expect(entry.field(name), `${name} of ${line}`).to.deep.equal(value);
    if (entry.string(name) !== journalText(value)) expect.fail(`string ${name} of ${line}`);
  }
  expect(entry.field('NO_SUCH_FIELD')).to.equal(undefined);
}

const realLines = [...fixture('journal-fields.jsonl'), ...fixture('journal.jsonl')];

describe('JournalEntry: a journalctl JSON line read field by field', () => {
  it('reads _TRANSPORT once as text, whether a string, bytes or absent', () => {
    expect(JournalEntry.parse('{"_TRANSPORT":"audit"}')!.transport).to.equal('audit');
    expect(JournalEntry.parse('{"_TRANSPORT":[107,101,114,110,101,108]}')!.transport).to.equal('kernel');
    expect(JournalEntry.parse('{"_TRANSPORT":null}')!.transport).to.equal(undefined);
    expect(JournalEntry.parse('{"MESSAGE":"x"}')!.transport).to.equal(undefined);
  });

  it('has no field that only an object prototype has', () => {
    const entry = JournalEntry.parse('{"__proto__":"p","MESSAGE":"m"}')!;
    expect([entry.field('constructor'), entry.field('toString'), entry.field('__proto__')]).to.deep.equal([undefined, undefined, 'p']);
  });

  it('reads every field of real journalctl lines as JSON.parse does, whatever the field order', () => {
    for (const line of realLines) expectSameAsJsonParse(line);
    const orders = fixture('journal-fields.jsonl').map((l) => Object.keys(JSON.parse(l) as object).join(','));
    expect(new Set(orders).size).to.be.greaterThan(1);
  });

  it('decodes escapes: quotes and non-ASCII in _COMM, a MESSAGE that is an array of bytes', () => {
    const entry = JournalEntry.parse(String.raw`{"_COMM":"my \"odd\" pr\u00e9c","MESSAGE":[97,255,98],"_EXE":"a\\b\/c\n"}`)!;
    expect(entry.field('_COMM')).to.equal('my "odd" pr\u00e9c');
    expect(entry.field('MESSAGE')).to.deep.equal([97, 255, 98]);
    expect(entry.field('_EXE')).to.equal('a\\b/c\n');
    expect(entry.string('MESSAGE')).to.equal('a\ufffdb');
  });

  it('does not take a field for text inside a value that looks like one', () => {
    const line = JSON.stringify({
      MESSAGE: 'SECCOMP pid=1 comm="x\\",\\"_AUDIT_ID\\":\\"99" exe="\\"_TRANSPORT\\":\\"audit\\""',
      _COMM: '","_AUDIT_ID":"42',
      _AUDIT_ID: '7',
    });
    const entry = JournalEntry.parse(line)!;
    expect(entry.field('_AUDIT_ID')).to.equal('7');
    expect(entry.field('_TRANSPORT')).to.equal(undefined);
    expectSameAsJsonParse(line);
  });

  it('takes the last of duplicate fields, as JSON.parse does', () => {
    expect(JournalEntry.parse('{"_AUDIT_ID":"1","_AUDIT_ID":"2"}')!.field('_AUDIT_ID')).to.equal('2');
  });

  it('accepts what JSON.parse accepts: whitespace, null, numbers, nested arrays, escaped keys, objects', () => {
    for (const line of [
      '{}',
      ' { "a" : "b" , "c":null,"d":[ ] ,"e":[[1,2],["x"]] }\r\n',
      '{"n":-0.5e+3,"t":true,"f":false}',
      '{"\\u005fTRANSPORT":"audit"}',
      '{"o":{"p":[{"q":1}]}}',
      '{"deep":[[[[[[1]]]]]]}',
      '{"s":"\\ud83d\\ude00 \u00e9"}',
    ]) {
      expect(JournalEntry.parse(line), line).not.to.equal(undefined);
      expectSameAsJsonParse(line);
    }
    expect(JournalEntry.parse('{"\\u005fTRANSPORT":"audit"}')!.field('_TRANSPORT')).to.equal('audit');
  });

  it('refuses what JSON.parse refuses or what is no object', () => {
    for (const line of [
      '',
      '[1]',
      '"x"',
      'null',
      '{"a":"b"',
      '{"a":"b"}x',
      '{"a":"b",}',
      '{"a" "b"}',
      '{a:"b"}',
      '{"a":"b\\q"}',
      '{"a":"b\\u12G4"}',
      '{"a":"tab\there"}',
      '{"a":01}',
      '{"a":nul}',
      '{"a":[1,]}',
      '{"a":"unterminated}',
    ]) {
      expect(JournalEntry.parse(line), line).to.equal(undefined);
    }
  });

  it('agrees with JSON.parse on every cut and every one-character change of a real line', () => {
    const line = fixture('journal-fields.jsonl')[1]!;
    const swaps = ['"', '\\', ',', ':', '}', ']', 'u', '\t'];
    for (let i = 0; i <= line.length; i++) {
      expectSameAsJsonParse(line.slice(0, i));
      for (const c of swaps) expectSameAsJsonParse(line.slice(0, i) + c + line.slice(i + 1));
    }
  });
});
