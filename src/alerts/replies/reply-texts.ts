import type { Profile } from '../../platform/profile.js';
import { fillReply } from './keywords.policy.js';
import type { RepliesProfile } from './replies.profile.js';

export type ReplyText = keyof RepliesProfile['texts'];

/** Who the texts tell people to call: the profile's replies.contact, else its first emergency phone. */
export function replyContact(profile: Profile): string {
  const configured = profile.alerts.replies.contact;
  if (configured) return configured;
  const first =
    profile.emergencyContacts.find((c) => c.emergency && c.phone) ?? profile.emergencyContacts[0]!;
  return [first.name, first.phone].filter(Boolean).join(' ');
}

/** The profile's text for an answer, with the programme name and the contact filled in. */
export function replyText(profile: Profile, which: ReplyText): string {
  return fillReply(profile.alerts.replies.texts[which], {
    program: profile.institution.alertProgramName,
    contact: replyContact(profile),
  });
}
