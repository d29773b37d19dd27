import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import { Interrupted, UserError } from './errors.js';
import { quietTlsIpServerNameWarning } from './warnings.js';

/** Turns our typed errors into an exit status, the message printed whole (no wrapping, no stack). */
export abstract class BaseCommand extends Command {
  public override async init(): Promise<void> {
    quietTlsIpServerNameWarning();
    await super.init();
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (err instanceof Interrupted) return super.catch(new Errors.ExitError(err.exitCode));
    if (err instanceof UserError) {
      // Unwrapped, so that the file names and JSON paths in it can be copied.
      process.stderr.write(`Error: ${err.message}\n`);
      return super.catch(new Errors.ExitError(err.exitCode));
    }
    return super.catch(err);
  }
}
