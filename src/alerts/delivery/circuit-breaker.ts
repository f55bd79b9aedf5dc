export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  failureThreshold: number;
  openMs: number;
}

/**
 * One provider's circuit, per process. Closed: everything goes through. After `failureThreshold`
 * consecutive retryable failures it opens: nothing goes to the provider (the next provider of the
 * channel takes the work) until `openMs` has passed; then one caller at a time may probe
 * (half-open). A success closes it, a failure opens it again.
 */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  consecutiveFailures = 0;
  openedAt: number | null = null;
  lastError: string | null = null;
  private probing = false;

  constructor(
    readonly name: string,
    private readonly settings: CircuitSettings,
    private readonly now: () => number,
  ) {}

  /** May a batch go to this provider now? Half-open admits one probe at a time. */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - (this.openedAt ?? 0) < this.settings.openMs) return false;
      this.state = 'half_open';
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** When the circuit may be tried again (ms since epoch), or null when it is not open. */
  retryAt(): number | null {
    return this.state === 'open' ? (this.openedAt ?? 0) + this.settings.openMs : null;
  }

  /** Record a batch's result: how many messages succeeded and how many failed retryably. */
  record(successes: number, failures: number, lastError?: string): void {
    this.probing = false;
    if (lastError) this.lastError = lastError;
    if (successes > 0) {
      this.state = 'closed';
      this.consecutiveFailures = 0;
      this.openedAt = null;
      return;
    }
    if (failures === 0) return;
    this.consecutiveFailures += failures;
    if (this.state === 'half_open' || this.consecutiveFailures >= this.settings.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }

  /** Release a probe slot taken by tryAcquire without a result (aborted batch). */
  release(): void {
    this.probing = false;
  }
}
