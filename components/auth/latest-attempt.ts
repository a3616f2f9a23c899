/**
 * Numbers sign-in attempts so that only the latest one acts on its outcome:
 * the button takes over from a waiting autofill request, and a page that
 * stopped wanting autofill ignores its late answer.
 */
export class LatestAttempt {
  private latest = 0;

  /** Starts an attempt; the returned check stays true until a newer one starts. */
  start(): () => boolean {
    const mine = ++this.latest;
    return () => this.latest === mine;
  }

  /** No attempt in progress is wanted any more. */
  supersedeAll(): void {
    this.latest++;
  }
}
