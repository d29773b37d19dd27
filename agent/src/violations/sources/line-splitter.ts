/**
 * Cuts a byte stream into lines. A line is complete only when its newline has arrived; the partial
 * tail waits for the next chunk (a writer may be caught mid-line). Splitting on bytes, before
 * decoding, keeps a multi-byte UTF-8 character cut by a chunk boundary intact.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line already longer than maxLineBytes: its bytes are dropped up to its newline. */
  private skipping = false;
  /** Lines dropped for being longer than maxLineBytes. */
  overlong = 0;

  /** Bytes of the partial line held now. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** An audit record is at most ~9 KB (MAX_AUDIT_MESSAGE_LENGTH); past this a line is not one. */
  constructor(readonly maxLineBytes = 64 * 1024) {}

  /** The complete lines in `chunk` (and before it), without their newlines. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.skipping || this.pendingBytes + piece.length > this.maxLineBytes) {
        if (!this.skipping) this.overlong++;
        this.reset();
      } else if (this.pending.length > 0) {
        this.pending.push(piece);
        lines.push(Buffer.concat(this.pending).toString('utf8'));
        this.reset();
      } else {
        lines.push(piece.toString('utf8'));
      }
      start = nl + 1;
    }
    if (start < chunk.length && !this.skipping) {
      const tail = chunk.subarray(start);
      if (this.pendingBytes + tail.length > this.maxLineBytes) {
        this.overlong++;
        this.reset();
        this.skipping = true;
      } else {
        this.pending.push(Buffer.from(tail));
        this.pendingBytes += tail.length;
      }
    }
    return lines;
  }

  /** The unterminated tail, if any, and forget it (the stream it came from is gone). */
  flush(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const tail = Buffer.concat(this.pending).toString('utf8');
    this.reset();
    return tail;
  }

  /** Forget the tail without returning it (the file it came from was truncated). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }
}
