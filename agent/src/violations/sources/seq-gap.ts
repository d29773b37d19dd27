/**
 * Sequence bookkeeping for /dev/kmsg. The kernel numbers records without gaps; after an EPIPE the
 * next read returns the oldest record still in the ring, so a jump in SEQ is exactly the number of
 * records overwritten unread. A reopened device starts again at the oldest record: those at or
 * below the last SEQ seen were delivered already.
 */
export class SeqGapCounter {
  /** `last`: the SEQ already read by someone else (a previous agent), when resuming after it. */
  constructor(private last?: number) {}

  /** Records `seq` as read: how many records were skipped before it, or 'seen' for a repeat. */
  next(seq: number): number | 'seen' {
    const previous = this.last;
    if (previous !== undefined && seq <= previous) return 'seen';
    this.last = seq;
    return previous === undefined ? 0 : seq - previous - 1;
  }
}
