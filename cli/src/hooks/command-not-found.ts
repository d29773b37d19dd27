import type { Hook } from '@oclif/core/hooks';
import { exit } from '@oclif/core/errors';
import { didYouMean } from '@kubectl-seccomp/profiles';
import { formatUsageError } from '../usage-error.js';

/** `kubectl seccomp docter`: a one-line error, exit 2 (a usage error), and the command it probably meant. */
const hook: Hook<'command_not_found'> = async function (opts) {
  const bin = opts.config.bin;
  const visible = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const guess = didYouMean(opts.id, visible);
  const suggestions = [...(guess ? [`Did you mean "${bin} ${guess}"?`] : []), `Run "${bin} --help" for the commands.`];
  process.stderr.write(formatUsageError({ message: `unknown command "${opts.id}" for "${bin}"`, suggestions }));
  exit(2);
};

export default hook;
