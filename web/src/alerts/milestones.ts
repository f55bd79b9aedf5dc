import type { AlertTracking } from './alert-types';
import { channelWords, percent, wordFor } from './alert-words';

/** The percentages of a channel worth saying aloud; every other change stays silent. */
const milestonePercents = [50, 100] as const;

type Message = AlertTracking['messages'][number];

function messageLabel(m: Message): string {
  if (m.sequence === 0) return '';
  if (m.type === 'all_clear') return 'All-clear, ';
  if (m.type === 'escalation') return 'Escalation calls, ';
  return `Update ${m.sequence}, `;
}

function newMessageWords(m: Message): string | null {
  if (m.type === 'all_clear') return 'All-clear sent.';
  if (m.type === 'update') return `Update ${m.sequence} sent.`;
  if (m.type === 'escalation') return 'Escalation calls started for people who have not answered.';
  return null;
}

function statusWords(prev: AlertTracking, next: AlertTracking): string | null {
  if (prev.alert.status === next.alert.status) return null;
  if (next.alert.status === 'sent') return 'Every message is out.';
  if (next.alert.status === 'closed') return 'The alert is closed.';
  return null;
}

/**
 * What a screen reader should hear between two tracking snapshots: a channel passing 50 % or
 * reaching 100 % (once each, the highest when both happen at once), an update or all-clear going
 * out, the alert finishing or closing. `announced` remembers what was said; the first snapshot
 * (prev null) only fills it, so opening a finished alert says nothing.
 */
export function milestones(
  prev: AlertTracking | null,
  next: AlertTracking,
  announced: Set<string>,
): string[] {
  const said: string[] = [];
  const known = new Set(prev?.messages.map((m) => m.id) ?? []);
  for (const m of next.messages) {
    if (prev && !known.has(m.id)) {
      const words = newMessageWords(m);
      if (words) said.push(words);
    }
    // Until the message has found all its recipients its percentages mean nothing yet.
    for (const c of m.fannedOut || next.alert.status === 'closed' ? m.channels : []) {
      const reached = milestonePercents.filter((p) => percent(c.doneFraction) >= p);
      const fresh = reached.filter((p) => !announced.has(`${m.id}:${c.channel}:${p}`));
      for (const p of fresh) announced.add(`${m.id}:${c.channel}:${p}`);
      const highest = fresh[fresh.length - 1];
      if (prev && highest !== undefined)
        said.push(`${messageLabel(m)}${wordFor(channelWords, c.channel)}: ${highest}% done.`);
    }
  }
  const status = prev ? statusWords(prev, next) : null;
  if (status) said.push(status);
  return said;
}
