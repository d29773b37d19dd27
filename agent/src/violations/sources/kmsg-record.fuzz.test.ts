import { expect } from 'chai';
import fc from 'fast-check';
import { fuzzRuns } from '../testing/fuzz.js';
import { parseKmsgRecord, unescapeKmsgText } from './kmsg-record.js';

const runs = fuzzRuns(300);

/** The kernel's escaping of /dev/kmsg text: every byte below 0x20, from 0x7f up, and the backslash as \xNN. */
function escapeKmsgText(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) out += b < 0x20 || b >= 0x7f || b === 0x5c ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

describe('fuzzing the /dev/kmsg framing (fast-check)', () => {
  it('reads back the header and text of every record the kernel can write, continuation lines or not', () => {
    const seq = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 191 }),
        seq,
        seq,
        fc.constantFrom('-', 'c', '+'),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.boolean(),
        (prio, s, usec, flags, text, dict) => {
          const raw = `${prio},${s},${usec},${flags};${escapeKmsgText(text)}\n${dict ? ' SUBSYSTEM=net\n DEVICE=n2\n' : ''}`;
          const record = parseKmsgRecord(raw);
          expect(record && { seq: record.seq, usec: record.usec, text: unescapeKmsgText(record.text) }).to.deep.equal({ seq: s, usec, text });
        },
      ),
      { numRuns: runs },
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const record = parseKmsgRecord(raw);
        if (record) unescapeKmsgText(record.text);
        unescapeKmsgText(raw);
      }),
      { numRuns: runs },
    );
  });
});
