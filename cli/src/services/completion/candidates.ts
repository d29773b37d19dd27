/** What a command offers to complete, as oclif's manifest describes it. */
export interface CompletableCommand {
  id: string;
  hidden?: boolean;
  args: Record<string, { options?: readonly string[] }>;
  flags: Record<string, { type: 'boolean' | 'option'; char?: string; hidden?: boolean; options?: readonly string[]; allowNo?: boolean }>;
}

/** Cobra's completion directives, the protocol kubectl speaks to `kubectl_complete-PLUGIN`. */
export const Directive = { default: 0, noFileComp: 4 } as const;

export interface Completion {
  candidates: string[];
  directive: number;
}

const visible = <T extends { hidden?: boolean }>(entries: [string, T][]) => entries.filter(([, v]) => !v.hidden);

/**
 * The words that can follow `words` (the last one being the partial word, possibly ""): commands,
 * then flags, a flag's options, or files where a command takes paths.
 */
export function complete(commands: CompletableCommand[], words: string[]): Completion {
  const partial = words.at(-1) ?? '';
  const done = words.slice(0, -1);
  const starting = (list: string[]): Completion => ({ candidates: list.filter((c) => c.startsWith(partial)), directive: Directive.noFileComp });
  const shown = commands.filter((c) => !c.hidden);
  if (done.length === 0 || (done.length === 1 && done[0] === 'help')) return starting(shown.map((c) => c.id).sort());
  const command = shown.find((c) => c.id === done[0]);
  if (!command) return { candidates: [], directive: Directive.noFileComp };
  const flags = visible(Object.entries(command.flags));
  const previous = done.at(-1)!;
  const valueOf = flags.find(([name, f]) => f.type === 'option' && (previous === `--${name}` || (f.char !== undefined && previous === `-${f.char}`)));
  if (valueOf) return valueOf[1].options ? starting([...valueOf[1].options]) : { candidates: [], directive: Directive.default };
  if (partial.startsWith('-')) {
    return starting(flags.flatMap(([name, f]) => [`--${name}`, ...(f.allowNo ? [`--no-${name}`] : [])]).sort());
  }
  const options = Object.values(command.args).flatMap((a) => a.options ?? []);
  if (options.length > 0) return starting([...options]);
  return { candidates: [], directive: Object.keys(command.args).length > 0 ? Directive.default : Directive.noFileComp };
}

/** The executable's answer: one candidate a line, then `:DIRECTIVE`. */
export const formatCompletion = (c: Completion): string => [...c.candidates, `:${c.directive}`].join('\n') + '\n';
