/** A problem with what the user asked for (flags, files): printed without a stack, with its exit status. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** The user pressed Ctrl-C: everything was aborted and closed; exit 130 like a shell. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  readonly exitCode = 130;
  constructor() {
    super('interrupted');
  }
}
