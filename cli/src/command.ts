import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import { Interrupted, UserError } from './errors.js';
import { formatUsageError, usageError } from './usage-error.js';
import { quietTlsIpServerNameWarning } from './warnings.js';

/** Turns our typed errors into an exit status, the message printed whole (no wrapping, no stack). */
export abstract class BaseCommand extends Command {
  // kubectl's usage line: the flags are listed below it (oclif's generated one shows its exclusive/dependsOn groups as `[--a | ]`).
  static override usage = '<%= command.id %> [flags]';

  public override async init(): Promise<void> {
    quietTlsIpServerNameWarning();
    await super.init();
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (err instanceof Interrupted) return super.catch(new Errors.ExitError(err.exitCode));
    const usage = usageError(err, this.ctor.flags ?? {}, `${this.config.bin} ${this.id ?? ''}`.trim());
    // Usage errors exit 2 (1 means "a check failed"), in one line and a hint.
    if (usage) {
      process.stderr.write(formatUsageError(usage));
      return super.catch(new Errors.ExitError(2));
    }
    if (err instanceof UserError) {
      // Unwrapped, so that the file names and JSON paths in it can be copied.
      process.stderr.write(`Error: ${err.message}\n`);
      return super.catch(new Errors.ExitError(err.exitCode));
    }
    return super.catch(err);
  }
}
