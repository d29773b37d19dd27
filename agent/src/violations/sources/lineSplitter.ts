/**
 * Cuts a byte stream into lines. A line is complete only when its newline has arrived; the partial
 * tail waits for the next chunk (a writer may be caught mid-line). Splitting on bytes, before
 * decoding, keeps a multi-byte UTF-8 character cut by a chunk boundary intact.
 */
export class LineSplitter {
  private pending: Buffer[] = [];

  /** The complete lines in `chunk` (and before it), without their newlines. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(piece);
        lines.push(Buffer.concat(this.pending).toString('utf8'));
        this.pending = [];
      } else {
        lines.push(piece.toString('utf8'));
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
    return lines;
  }

  /** The unterminated tail, if any, and forget it (the stream it came from is gone). */
  flush(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const tail = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    return tail;
  }

  /** Forget the tail without returning it (the file it came from was truncated). */
  reset(): void {
    this.pending = [];
  }
}
