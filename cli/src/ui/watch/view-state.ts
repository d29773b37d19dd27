import { SORTS } from '../../services/watch/aggregate.js';
import type { SortOrder } from '../../services/watch/aggregate.js';

/** What the user chose in the live view. */
export interface ViewState {
  sort: SortOrder;
  filterText: string;
  /** The filter being typed (after f or /), undefined when not editing. */
  draft?: string;
  paused: boolean;
  /** The help screen (?) is shown instead of the table. */
  help: boolean;
}

export const INITIAL_VIEW: ViewState = { sort: 'recent', filterText: '', paused: false, help: false };

export interface KeyInfo {
  ctrl: boolean;
  meta: boolean;
  return: boolean;
  escape: boolean;
  backspace: boolean;
  delete: boolean;
}

/** What the view must do besides showing the new state. */
export type KeyEffect = 'quit' | 'clear' | 'freeze' | undefined;

const NO_KEY: KeyInfo = { ctrl: false, meta: false, return: false, escape: false, backspace: false, delete: false };

/** One byte of a burst as the key it stands for. */
function keyOf(ch: string): { input: string; key: KeyInfo } {
  if (ch === '\r' || ch === '\n') return { input: '', key: { ...NO_KEY, return: true } };
  if (ch === '\x7f' || ch === '\b') return { input: '', key: { ...NO_KEY, backspace: true } };
  if (ch === '\x1b') return { input: '', key: { ...NO_KEY, escape: true } };
  if (ch === '\x03') return { input: 'c', key: { ...NO_KEY, ctrl: true } };
  return { input: ch, key: NO_KEY };
}

/**
 * What arrived in one read -> the next state and the effects, in order. A terminal writes keys typed
 * fast (or a paste) as one chunk and Ink hands it over as one input: "x\r" or "pq" must be each key.
 */
export function onInput(s: ViewState, input: string, key: KeyInfo): { next: ViewState; effects: KeyEffect[] } {
  const keys = [...input].length > 1 && !key.ctrl && !key.meta ? [...input].map(keyOf) : [{ input, key }];
  const effects: KeyEffect[] = [];
  let next = s;
  for (const k of keys) {
    const step = onKey(next, k.input, k.key);
    next = step.next;
    if (step.effect) effects.push(step.effect);
    if (step.effect === 'quit') break;
  }
  return { next, effects };
}

/** One key press -> the next view state and its side effect. Pure. */
export function onKey(s: ViewState, input: string, key: KeyInfo): { next: ViewState; effect: KeyEffect } {
  if (key.ctrl && input === 'c') return { next: s, effect: 'quit' };
  if (s.draft !== undefined) {
    if (key.return) return { next: { ...s, filterText: s.draft.trim(), draft: undefined }, effect: undefined };
    if (key.escape) return { next: { ...s, draft: undefined }, effect: undefined };
    if (key.backspace || key.delete) return { next: { ...s, draft: s.draft.slice(0, -1) }, effect: undefined };
    if (input && !key.ctrl && !key.meta) return { next: { ...s, draft: s.draft + input }, effect: undefined };
    return { next: s, effect: undefined };
  }
  // The help screen: ? or esc goes back; q still quits.
  if (s.help) return { next: { ...s, help: input === '?' || key.escape ? false : s.help }, effect: input === 'q' ? 'quit' : undefined };
  if (key.escape) return { next: { ...s, filterText: '' }, effect: undefined };
  switch (input) {
    case 'q':
      return { next: s, effect: 'quit' };
    case '?':
      return { next: { ...s, help: true }, effect: undefined };
    case 'p':
      return { next: { ...s, paused: !s.paused }, effect: s.paused ? undefined : 'freeze' };
    case 's':
      return { next: { ...s, sort: SORTS[(SORTS.indexOf(s.sort) + 1) % SORTS.length]! }, effect: undefined };
    case 'f':
    case '/':
      return { next: { ...s, draft: s.filterText }, effect: undefined };
    case 'c':
      return { next: s, effect: 'clear' };
    default:
      return { next: s, effect: undefined };
  }
}
