import { Command, Errors } from '@oclif/core';
import { Interrupted, UserError } from './errors.js';

/** Turns our typed errors into oclif's: a message without a stack, and the exit status they carry. */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (err instanceof Interrupted) return super.catch(new Errors.ExitError(err.exitCode));
    if (err instanceof UserError) return super.catch(new Errors.CLIError(err.message, { exit: err.exitCode }));
    return super.catch(err);
  }
}
