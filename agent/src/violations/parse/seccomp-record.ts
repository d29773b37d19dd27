import type { ViolationSource } from '@kubectl-seccomp/proto';
import { type AuditStamp, type RecordOutcome, UNSET_ID } from '../record.js';
import { decimalField, decodeAuditString, hexField } from './audit-text.js';

/** The fields every type=1326 record carries; without them the record cannot be acted upon. */
const REQUIRED = ['pid', 'arch', 'syscall', 'code'] as const;

/** Turns the fields of a type=1326 record (raw values, as readAuditFields gives them) into a record, or says why it is damaged. */
export function seccompRecord(stamp: AuditStamp, fields: ReadonlyMap<string, string>, source: ViolationSource): RecordOutcome {
  for (const key of REQUIRED) {
    if (!fields.has(key)) return { kind: 'damaged', reason: `no ${key}= field` };
  }
  const pid = decimalField(fields.get('pid'));
  const auditArch = hexField(fields.get('arch'));
  const syscallNr = decimalField(fields.get('syscall'));
  const code = hexField(fields.get('code'));
  if (pid === undefined || pid < 0) return { kind: 'damaged', reason: `bad pid=${fields.get('pid')}` };
  if (auditArch === undefined) return { kind: 'damaged', reason: `bad arch=${fields.get('arch')}` };
  if (syscallNr === undefined) return { kind: 'damaged', reason: `bad syscall=${fields.get('syscall')}` };
  if (code === undefined) return { kind: 'damaged', reason: `bad code=${fields.get('code')}` };
  return {
    kind: 'record',
    record: {
      auditId: stamp.auditId,
      timeUnixMs: stamp.timeUnixMs,
      serial: stamp.serial,
      pid,
      uid: decimalField(fields.get('uid')) ?? UNSET_ID,
      gid: decimalField(fields.get('gid')) ?? UNSET_ID,
      auid: decimalField(fields.get('auid')) ?? UNSET_ID,
      ses: decimalField(fields.get('ses')) ?? UNSET_ID,
      comm: decodeAuditString(fields.get('comm')),
      exe: decodeAuditString(fields.get('exe')),
      sig: decimalField(fields.get('sig')) ?? 0,
      auditArch,
      syscallNr,
      compat: fields.get('compat') === '1',
      ip: fields.get('ip') ?? '',
      code,
      source,
    },
  };
}
