import type { Contact, Person } from '../directory-types';
import { channelLabel, feedSources, personSourceLabel } from '../labels';

/**
 * Why the console does not offer to remove a contact, or null when it does. The primary address a
 * feed provides stays where the profile says its owner may not remove it (MIT: the directory
 * email): the next sync would put it back, so opting it out is the way to stop alerts to it.
 */
export function removalRefusal(contact: Contact, person: Person): string | null {
  const fromFeed = contact.source === 'directory' && contact.primary && feedSources.has(person.source);
  if (!fromFeed || contact.removableByOwner) return null;
  const feed = personSourceLabel[person.source] ?? person.source;
  return `This is the primary ${channelLabel[contact.channel].toLowerCase()} the ${feed} provides: the profile does not let it be removed, and the next sync would put it back. Opt it out to stop alerts to it.`;
}

/** Why an opted-out contact cannot be opted back in by an operator, or null. */
export function optInRefusal(contact: Contact): string | null {
  if (!contact.optedOutAt || contact.operatorMayOptIn) return null;
  return contact.optOutReason === 'sms_stop'
    ? 'The person replied STOP; only they can opt back in, by replying START.'
    : 'The person opted out themselves; only they can opt back in, by registering the address again.';
}
