export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  failureThreshold: number;
  openMs: number;
}

/**
 * One provider's circuit, per process, fed with every message's outcome as it arrives. Closed:
 * everything goes through; a success resets the count of consecutive retryable failures, and at
 * `failureThreshold` it opens. Open: nothing goes to the provider (the next provider of the channel
 * takes the work) until `openMs` has passed, and late answers to requests sent before it opened
 * change nothing. Then one caller at a time may probe (half-open): a success closes it, a failure
 * opens it again. `onChange` hears every transition.
 */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  consecutiveFailures = 0;
  openedAt: number | null = null;
  lastError: string | null = null;
  onChange: ((from: CircuitState, to: CircuitState) => void) | null = null;
  /** Hears every outcome, late answers to an open circuit included (the provider did answer). */
  onOutcome: ((ok: boolean, error?: string) => void) | null = null;
  private probing = false;

  constructor(
    readonly name: string,
    private readonly settings: CircuitSettings,
    private readonly now: () => number,
  ) {}

  private moveTo(to: CircuitState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.onChange?.(from, to);
  }

  /** May a batch go to this provider now? Half-open admits one probe at a time. */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - (this.openedAt ?? 0) < this.settings.openMs) return false;
      this.probing = false;
      this.moveTo('half_open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** When the circuit may be tried again (ms since epoch), or null when it is not open. */
  retryAt(): number | null {
    return this.state === 'open' ? (this.openedAt ?? 0) + this.settings.openMs : null;
  }

  /** A message went through. */
  success(): void {
    this.onOutcome?.(true);
    if (this.state === 'open') return;
    this.probing = false;
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.moveTo('closed');
  }

  /** A message failed retryably (timeout, connection error, 5xx, 429). */
  failure(error?: string): void {
    this.onOutcome?.(false, error);
    if (error) this.lastError = error;
    if (this.state === 'open') return;
    this.consecutiveFailures += 1;
    if (this.state === 'half_open' || this.consecutiveFailures >= this.settings.failureThreshold) {
      this.probing = false;
      this.openedAt = this.now();
      this.moveTo('open');
    }
  }

  /** Several outcomes at once (tests and callers that count per batch). */
  record(successes: number, failures: number, lastError?: string): void {
    if (successes > 0) this.success();
    for (let i = 0; i < failures; i += 1) this.failure(lastError);
  }

  /** Release a probe slot taken by tryAcquire without a result (nothing was sent). */
  release(): void {
    this.probing = false;
  }
}
