import type { AppContext } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/database.js';
import { signLinkToken, signLinkTokens } from '../../platform/link-tokens.js';
import { findContactsHeldBy } from '../../directory/people.queries.js';

/** The one-click unsubscribe address of a contact: GET shows a confirm button, POST opts out (RFC 8058). */
export async function unsubscribeUrl(ctx: AppContext, contactId: string): Promise<string> {
  return `${ctx.config.publicUrl}/unsubscribe/${await signLinkToken(ctx.db, 'unsubscribe', contactId)}`;
}

/** Unsubscribe addresses of many contacts at once (one key lookup), by contact id. */
export async function unsubscribeUrls(
  ctx: AppContext,
  contactIds: readonly string[],
): Promise<Map<string, string>> {
  const tokens = await signLinkTokens(ctx.db, 'unsubscribe', contactIds);
  return new Map(contactIds.map((id, i) => [id, `${ctx.config.publicUrl}/unsubscribe/${tokens[i]}`]));
}

/** One email recipient of a batch: `key` is the caller's (a delivery id), person and address find the contact. */
export interface EmailRecipient {
  key: string;
  personId: string | null;
  address: string;
}

/**
 * The unsubscribe links a batch of alert emails needs: one per recipient who is an
 * extended-community member with that email contact, by the caller's key. Others get none (people
 * enrolled from the directory cannot unsubscribe their institutional address). One query, one
 * key lookup: made for the dispatcher, per batch.
 */
export async function extendedCommunityUnsubscribeUrls(
  ctx: AppContext,
  q: Queryable,
  recipients: readonly EmailRecipient[],
): Promise<Map<string, string>> {
  const wanted = recipients.filter((r): r is EmailRecipient & { personId: string } => r.personId !== null);
  if (wanted.length === 0) return new Map();
  const rows = await findContactsHeldBy(q, { channel: 'email', affiliation: 'extended', holders: wanted });
  const contactOf = new Map(rows.map((row) => [`${row.person_id}\n${row.address}`, row.id]));
  const urls = await unsubscribeUrls(ctx, [...new Set(contactOf.values())]);
  const links = new Map<string, string>();
  for (const r of wanted) {
    const contactId = contactOf.get(`${r.personId}\n${r.address}`);
    if (contactId) links.set(r.key, urls.get(contactId)!);
  }
  return links;
}
