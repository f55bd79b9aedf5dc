import { Agent, fetch, type Response } from 'undici';
import type { AlertTracking } from './tracking.schema.js';

/** One parsed server-sent event (comments are reported with event "comment"). */
export interface ReceivedEvent {
  id: string | null;
  event: string;
  data: string;
  retry: number | null;
}

/**
 * A minimal EventSource for tests: opens the stream with fetch (so it can send cookies,
 * tokens and Last-Event-ID), parses events as they arrive and lets the caller wait for one.
 */
export class EventStreamClient {
  readonly status: number;
  readonly headers: Headers;
  private readonly received: ReceivedEvent[] = [];
  private waiters: Array<() => void> = [];
  private done = false;
  private readonly controller: AbortController;
  private readonly agent: Agent;

  private constructor(response: Response, controller: AbortController, agent: Agent) {
    this.status = response.status;
    this.headers = response.headers;
    this.controller = controller;
    this.agent = agent;
    if (response.body) void this.pump(response.body);
    else this.done = true;
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const controller = new AbortController();
    // Its own connection pool, destroyed on close: an aborted fetch can leave a fresh idle socket
    // in the shared pool that keeps the server from closing.
    const agent = new Agent();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
      dispatcher: agent,
    });
    return new EventStreamClient(response, controller, agent);
  }

  /** True once the server ended the stream. */
  get ended(): boolean {
    return this.done;
  }

  /** Every event so far. */
  get events(): readonly ReceivedEvent[] {
    return this.received;
  }

  /** Wait for the first event (from `from` on) that matches; rejects after `timeoutMs` or at the end of the stream. */
  async next(
    match: (e: ReceivedEvent) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<ReceivedEvent> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      const found = this.received.slice(options.from ?? 0).find(match);
      if (found) return found;
      if (this.done) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching event in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next `tracking` event after `from`, parsed. */
  async nextTracking(
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<AlertTracking & { eventId: string | null }> {
    const e = await this.next((x) => x.event === 'tracking', options);
    return { ...(JSON.parse(e.data) as AlertTracking), eventId: e.id };
  }

  /** Wait until the server ends the stream. */
  async closed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.done) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Disconnect (as a closed browser tab does). */
  close(): void {
    this.controller.abort();
    void this.agent.destroy();
  }

  private async pump(body: AsyncIterable<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.accept(parseEvent(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close(), or the connection dropped: either way the stream is over
    }
    this.done = true;
    void this.agent.destroy();
    this.wake();
  }

  private accept(event: ReceivedEvent): void {
    this.received.push(event);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function parseEvent(block: string): ReceivedEvent {
  const event: ReceivedEvent = { id: null, event: 'message', data: '', retry: null };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { id: null, event: 'comment', data: line.slice(1).trim(), retry: null };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry') event.retry = Number(value);
  }
  event.data = data.join('\n');
  return event;
}
