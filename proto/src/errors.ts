/** Why an agent call failed, independent of transport; maps 1:1 to gRPC status codes. */
export type AgentErrorCode =
  | 'invalid-argument'
  | 'failed-precondition'
  | 'resource-exhausted'
  | 'aborted'
  | 'unavailable'
  | 'deadline-exceeded'
  | 'cancelled'
  | 'not-found'
  | 'unimplemented'
  | 'internal';

export class AgentError extends Error {
  override readonly name = 'AgentError';
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
