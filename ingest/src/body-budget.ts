/**
 * Bytes of ingest request bodies being read and parsed at once. The row queue alone does not
 * bound memory: a parsed body weighs several times its text before it becomes rows, so a
 * flood of large bodies is refused (429) before they are read, not after.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes `bytes` of the budget, or answers false. One body is always let through when none is being read. */
  take(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
