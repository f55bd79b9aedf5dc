import { z } from 'zod';

// A keyword is one word of letters or digits, compared upper-cased (CTIA: exact single words).
const keyword = z
  .string()
  .regex(/^[A-Za-z0-9]{1,20}$/, 'must be one word of letters or digits')
  .transform((k) => k.toUpperCase());
const keywords = (defaults: string[]) => z.array(keyword).min(1).default(defaults);
// Reply texts may use {program} (institution.alertProgramName) and {contact} (replies.contact).
const text = (fallback: string) => z.string().min(1).max(480).default(fallback);

/**
 * `alerts.replies` in the profile: the SMS keywords (CTIA STOP/START/HELP and the acknowledgement
 * answers), the texts Tocsin answers with, and how long a "1"/"2" still answers an alert.
 * Defaults are MIT's.
 */
export const repliesProfileSchema = z
  .strictObject({
    keywords: z
      .strictObject({
        stop: keywords(['STOP', 'END', 'CANCEL', 'UNSUBSCRIBE', 'QUIT']),
        start: keywords(['START']),
        help: keywords(['HELP']),
        safe: keywords(['1', 'SAFE']),
        needHelp: keywords(['2']),
      })
      .prefault({})
      .refine((k) => {
        const all = Object.values(k).flat();
        return new Set(all).size === all.length;
      }, 'a keyword may appear in only one list'),
    /** Who to call, in the texts' {contact}; default: the first emergency contact with a phone. */
    contact: z.string().min(1).max(100).optional(),
    /** A "1" or "2" answers the most recent alert that asked for acknowledgements within this many hours. */
    acknowledgementWindowHours: z.number().int().min(1).max(168).default(24),
    texts: z
      .strictObject({
        help: text(
          '{program}: emergency notifications. Msg frequency varies. Msg&data rates may apply. Need help now? Call {contact}, or reply 2 to an alert. Reply STOP to cancel.',
        ),
        stop: text(
          '{program}: You are unsubscribed and will receive no more text messages. Reply START to resubscribe. Emergencies: {contact}.',
        ),
        start: text(
          '{program}: You are subscribed to text alerts again. Msg frequency varies. Msg&data rates may apply. Reply HELP for help, STOP to cancel.',
        ),
        safe: text('{program}: Thank you. You are recorded as safe. Reply 2 if that changes.'),
        needHelp: text(
          '{program}: Your request for help is recorded and shared with responders. If you can, call {contact}.',
        ),
        noAlert: text(
          '{program}: No alert is waiting for an answer from this number. Emergencies: {contact}. Reply HELP for help.',
        ),
        unknown: text(
          '{program}: Sorry, we did not understand. Reply 1 if safe, 2 if you need help, HELP for info, STOP to cancel. Emergencies: {contact}.',
        ),
      })
      .prefault({}),
  })
  .prefault({});

export type RepliesProfile = z.infer<typeof repliesProfileSchema>;
