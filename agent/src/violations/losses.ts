/**
 * Turns the kernel's cumulative `audit_lost=N` into losses. The kernel prints it only when it drops a
 * record, so the first sighting counts one loss (the rest of N happened before we were watching, or
 * was already counted by another run); later sightings count the increase. A smaller value means the
 * counter restarted (reboot): it counts as new losses from zero.
 */
export class AuditLostCounter {
  private last: number | undefined;

  increase(total: number): number {
    const previous = this.last;
    this.last = total;
    if (previous === undefined) return total > 0 ? 1 : 0;
    return total >= previous ? total - previous : total;
  }
}
