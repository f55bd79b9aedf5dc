import type { OutgoingMessage } from '../provider.js';

/** One SMTP message: the deliveries it carries, in RCPT TO order. */
export interface EmailEnvelope {
  language: string;
  /** With a personal link (acknowledge, unsubscribe): exactly one delivery, sent to that person. */
  personal: boolean;
  messages: OutgoingMessage[];
}

/** True when the email carries a link for its one recipient, so it may not be shared. */
const isPersonal = (m: OutgoingMessage) => m.acknowledgeUrl !== null || m.unsubscribeUrl !== null;

/**
 * Group a batch into SMTP messages. Deliveries whose content is identical (same language, no
 * personal link) share one message of up to `perMessage` recipients, Bcc; an address appears at
 * most once per message (two people sharing a mailbox get two messages, each counted). Deliveries
 * with a personal link go one by one.
 */
export function envelopesOf(batch: readonly OutgoingMessage[], perMessage: number): EmailEnvelope[] {
  const envelopes: EmailEnvelope[] = [];
  const open = new Map<string, Array<{ envelope: EmailEnvelope; addresses: Set<string> }>>();
  for (const m of batch) {
    if (isPersonal(m)) {
      envelopes.push({ language: m.language, personal: true, messages: [m] });
      continue;
    }
    const address = m.address.toLowerCase();
    const candidates = open.get(m.language) ?? [];
    open.set(m.language, candidates);
    let slot = candidates.find((c) => c.envelope.messages.length < perMessage && !c.addresses.has(address));
    if (!slot) {
      slot = { envelope: { language: m.language, personal: false, messages: [] }, addresses: new Set() };
      candidates.push(slot);
      envelopes.push(slot.envelope);
    }
    slot.envelope.messages.push(m);
    slot.addresses.add(address);
  }
  return envelopes;
}

/**
 * `X-Tocsin-Delivery-Ids` for a shared message: the ids in RCPT TO order, one per folded line so
 * no header line comes near SMTP's 998-character limit.
 */
export function deliveryIdsHeader(messages: readonly OutgoingMessage[]): string {
  return messages.map((m) => m.deliveryId).join(',\r\n ');
}
