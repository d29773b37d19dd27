// AgentError <-> gRPC status: the transport-independent error codes map 1:1 to status codes.
import { status as Status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { AgentError, type AgentErrorCode } from './errors.js';

const TO_STATUS: Readonly<Record<AgentErrorCode, Status>> = {
  'invalid-argument': Status.INVALID_ARGUMENT,
  'failed-precondition': Status.FAILED_PRECONDITION,
  'resource-exhausted': Status.RESOURCE_EXHAUSTED,
  aborted: Status.ABORTED,
  unavailable: Status.UNAVAILABLE,
  'deadline-exceeded': Status.DEADLINE_EXCEEDED,
  cancelled: Status.CANCELLED,
  'not-found': Status.NOT_FOUND,
  unimplemented: Status.UNIMPLEMENTED,
  internal: Status.INTERNAL,
};

const FROM_STATUS = new Map<Status, AgentErrorCode>((Object.entries(TO_STATUS) as [AgentErrorCode, Status][]).map(([code, s]) => [s, code]));
// Status codes with no AgentErrorCode of their own.
FROM_STATUS.set(Status.UNKNOWN, 'internal');
FROM_STATUS.set(Status.DATA_LOSS, 'internal');
FROM_STATUS.set(Status.ALREADY_EXISTS, 'failed-precondition');
FROM_STATUS.set(Status.OUT_OF_RANGE, 'invalid-argument');
FROM_STATUS.set(Status.PERMISSION_DENIED, 'failed-precondition');
FROM_STATUS.set(Status.UNAUTHENTICATED, 'failed-precondition');

/** What the server sends for an error thrown by the implementation. */
export function toStatus(err: unknown): Partial<StatusObject> {
  if (err instanceof AgentError) return { code: TO_STATUS[err.code], details: err.message };
  return { code: Status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

/** The socket errors gRPC reports as "No connection established. Last error: Error: connect ECONNREFUSED ADDR...", as people say them. */
const CONNECT_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** The AgentError for a failed call, with the server's message as is (the caller knows which agent). */
export function fromServiceError(err: ServiceError | Error): AgentError {
  if (!isServiceError(err)) return new AgentError('internal', err.message, { cause: err });
  const code = FROM_STATUS.get(err.code) ?? 'internal';
  const connect = /connect (E[A-Z]+) (\S+?)\.?(?:\s|$)/.exec(err.details);
  const said = connect && CONNECT_ERRORS[connect[1]!];
  if (code === 'unavailable' && said) return new AgentError(code, `${said}: ${connect[2]}`, { cause: err });
  return new AgentError(code, err.details || Status[err.code] || 'call failed', { cause: err });
}

function isServiceError(err: Error): err is ServiceError {
  return typeof (err as Partial<ServiceError>).code === 'number' && 'details' in err;
}
