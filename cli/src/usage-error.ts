import { didYouMean } from '@kubectl-seccomp/profiles';

/** What oclif's parser throws: CLIParseError (`parse` set, `flags` for unknown ones) or a flag's own parse failure. */
interface ParserError extends Error {
  parse?: unknown;
  flags?: string[];
}

export interface UsageError {
  message: string;
  suggestions: string[];
}

interface FlagNames {
  [name: string]: { char?: string; hidden?: boolean; aliases?: string[] };
}

const OCLIF_TAIL = /\s*See more help with --help\s*$/;

/**
 * oclif's parse errors as kubectl words them: one line, then a hint (the flag it probably meant, and
 * where the help is). Anything else is not a usage error: undefined.
 */
export function usageError(err: ParserError, flags: FlagNames, helpCommand: string): UsageError | undefined {
  const flagFailed = /^Parsing --(\S+)\s/.exec(err.message);
  if (err.parse === undefined && !flagFailed) return undefined;
  const help = `See "${helpCommand} --help".`;
  if (flagFailed) {
    const reason = err.message.slice(flagFailed[0].length).replace(OCLIF_TAIL, '').trim();
    return { message: `invalid value for --${flagFailed[1]}: ${reason}`, suggestions: [help] };
  }
  if (err.flags?.length) {
    const names = Object.entries(flags)
      .filter(([, f]) => !f.hidden)
      .flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])]);
    const guesses = err.flags.map((given) => didYouMean(given.split('=')[0] ?? given, names)).filter((g) => g !== undefined);
    const which = err.flags.join(', ');
    return {
      message: `unknown flag${err.flags.length === 1 ? '' : 's'}: ${which}`,
      suggestions: [...guesses.map((g) => `Did you mean ${g}?`), help],
    };
  }
  const message = err.message
    .replace(OCLIF_TAIL, '')
    .replace(/^The following errors? occurred:\s*/, '')
    .replace(/\s*\n\s*/g, ' ');
  return { message, suggestions: [help] };
}

/** kubectl's shape: `error: MESSAGE`, then the hints, one a line. */
export const formatUsageError = (u: UsageError): string => [`error: ${u.message}`, ...u.suggestions].join('\n') + '\n';
