// Server-sent events are a few lines of text per event; writing them by hand keeps the shared
// poller, the 204-on-resume and the per-operator limit in our hands (see the commit message).

/** Headers of an event stream: never cached, never buffered by a proxy (nginx honours X-Accel-Buffering). */
export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-store',
  'x-accel-buffering': 'no',
} as const;

/** One event; `data` must be one line (JSON.stringify never emits a newline). */
export function sseEvent(event: { id?: string; event: string; data: string; retryMs?: number }): string {
  const lines: string[] = [];
  if (event.retryMs !== undefined) lines.push(`retry: ${Math.round(event.retryMs)}`);
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  lines.push(`event: ${event.event}`, `data: ${event.data}`);
  return `${lines.join('\n')}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
