import type { Channel } from './faults.js';

/** One message as the simulated provider received it. */
export interface StoredMessage {
  channel: Channel;
  /** The provider's id: SM…/CA… sid, tweet id, post id, or the email's Message-ID with the recipient's index. */
  id: string;
  at: number;
  to: string | null;
  from: string | null;
  /** Text (SMS), TwiML or URL (voice), posted text or document (sinks); email keeps only headers. */
  body: string | null;
  deliveryId: string | null;
  /** Provider status, moved along by the simulated receipts (Twilio messages and calls). */
  status?: string;
  errorCode?: number | null;
  segments?: number;
  subject?: string;
  headers?: Record<string, string>;
  /** Anything else worth showing for this channel (StatusCallback URL, sink target, …). */
  details?: Record<string, unknown>;
}

/** Filters of GET /control/messages. */
export interface MessageQuery {
  channel?: Channel;
  to?: string;
  deliveryId?: string;
  limit: number;
}

/** The most recent `capacity` messages, newest evicting oldest, with a lookup by provider id. */
export class MessageStore {
  private ring: Array<StoredMessage | undefined>;
  private next = 0;
  private held = 0;
  private readonly byId = new Map<string, StoredMessage>();

  constructor(private readonly capacity: number) {
    this.ring = new Array<StoredMessage | undefined>(capacity);
  }

  add(message: StoredMessage): void {
    if (this.capacity === 0) return;
    const evicted = this.ring[this.next];
    if (evicted && this.byId.get(evicted.id) === evicted) this.byId.delete(evicted.id);
    this.ring[this.next] = message;
    this.byId.set(message.id, message);
    this.next = (this.next + 1) % this.capacity;
    this.held = Math.min(this.held + 1, this.capacity);
  }

  /** How many messages are held. */
  size(): number {
    return this.held;
  }

  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  /** Matching messages, newest first. */
  list(query: MessageQuery): StoredMessage[] {
    const found: StoredMessage[] = [];
    for (let i = 1; i <= this.capacity && found.length < query.limit; i += 1) {
      const m = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (!m) break;
      if (query.channel && m.channel !== query.channel) continue;
      if (query.to && m.to !== query.to) continue;
      if (query.deliveryId && m.deliveryId !== query.deliveryId) continue;
      found.push(m);
    }
    return found;
  }

  clear(): void {
    this.ring = new Array<StoredMessage | undefined>(this.capacity);
    this.byId.clear();
    this.next = 0;
    this.held = 0;
  }
}

/** A message as JSON shows it. */
export function messageView(m: StoredMessage): Record<string, unknown> {
  return { ...m, at: new Date(m.at).toISOString() };
}
