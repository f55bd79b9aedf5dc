import type { AlertTracking, ChannelTracking } from './tracking.schema.js';

const columns = [
  ['channel', 12],
  ['total', 7],
  ['done', 6],
  ['waiting', 8],
  ['sent', 7],
  ['delivered', 10],
  ['outbox', 7],
  ['failed', 7],
  ['suppressed', 11],
  ['acc/s 5s', 9],
  ['accept p50/p90 ms', 18],
  ['deliver p50/p90 ms', 19],
] as const;

const pad = (text: string, width: number, first: boolean) =>
  first ? text.padEnd(width) : text.padStart(width);
const row = (cells: string[]) => `  ${cells.map((c, i) => pad(c, columns[i]![1], i === 0)).join(' ')}`;
const percentiles = (l: ChannelTracking['latencyMs']['accepted']) =>
  l ? `${Math.round(l.p50)}/${Math.round(l.p90)}` : '-';

function channelRow(c: ChannelTracking): string {
  const n = c.counts;
  return row([
    c.channel,
    String(c.total),
    `${Math.floor(c.doneFraction * 100)}%`,
    String(n.created + n.queued + n.sending + n.temporary_failure),
    String(n.sent),
    // What the outbox stored reached no network: its own column, never among the delivered.
    String(n.delivered - c.inOutbox),
    String(c.inOutbox),
    String(n.permanent_failure + n.technical_failure),
    String(n.suppressed + n.cancelled),
    c.throughput.last5s.toFixed(1),
    percentiles(c.latencyMs.accepted),
    percentiles(c.latencyMs.delivered),
  ]);
}

/** An alert's tracking as text lines for the terminal: one table per message, then failures and answers. */
export function trackingTable(t: AlertTracking): string[] {
  const a = t.alert;
  const lines = [
    `${a.kind} alert ${a.id}: ${a.status} (${a.hazard}, template v${a.templateVersion})`,
    `  ${t.totals.done} of ${t.totals.total} deliveries done (${Math.floor(t.totals.doneFraction * 100)}%), ` +
      `${t.totals.throughput.last5s.toFixed(1)} accepted/s over the last 5 s`,
  ];
  for (const m of t.messages) {
    lines.push('', `message ${m.sequence} (${m.type}) at ${m.createdAt}`);
    if (m.channels.length === 0) {
      lines.push('  no deliveries yet');
      continue;
    }
    lines.push(row(columns.map(([name]) => name)), ...m.channels.map(channelRow));
  }
  if (t.failures.length > 0) {
    lines.push('', 'failures');
    for (const f of t.failures.slice(0, 10))
      lines.push(`  ${String(f.count).padStart(7)}  ${f.channel} ${f.status}: ${f.reason}`);
  }
  const ack = t.acknowledgements;
  if (ack.requested)
    lines.push(
      '',
      `answers: ${ack.safe} safe, ${ack.needHelp} need help, ${ack.noResponse ?? 0} no response`,
    );
  return lines;
}
