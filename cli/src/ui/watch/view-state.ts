import { SORTS } from '../../services/watch/aggregate.js';
import type { SortOrder } from '../../services/watch/aggregate.js';

/** What the user chose in the live view. */
export interface ViewState {
  sort: SortOrder;
  filterText: string;
  /** The filter being typed (after f or /), undefined when not editing. */
  draft?: string;
  paused: boolean;
}

export const INITIAL_VIEW: ViewState = { sort: 'recent', filterText: '', paused: false };

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
  switch (input) {
    case 'q':
      return { next: s, effect: 'quit' };
    case 'p':
      return { next: { ...s, paused: !s.paused }, effect: s.paused ? undefined : 'freeze' };
    case 's':
      return { next: { ...s, sort: SORTS[(SORTS.indexOf(s.sort) + 1) % SORTS.length]! }, effect: undefined };
    case 'f':
    case '/':
      return { next: { ...s, draft: s.filterText }, effect: undefined };
    case 'c':
      return { next: { ...s, filterText: '' }, effect: 'clear' };
    default:
      return { next: s, effect: undefined };
  }
}
