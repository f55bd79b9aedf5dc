import { z } from 'zod';
import { deliveryChannels } from './alerts.tables.js';
import { capValues } from './rendering/cap-values.js';
import { repliesProfileSchema } from './replies/replies.profile.js';
import type { Permission } from '../identity/permissions.js';
import { slug } from '../platform/profile-fields.js';
import type { Profile } from '../platform/profile.js';

const alertKind = z.strictObject({
  title: z.string().min(1),
  description: z.string().min(1),
  sendRoles: z.array(slug).min(1, 'at least one role must be able to send'),
  /** The channels the console ticks for a new alert of this kind (default: every channel of the profile). */
  defaultChannels: z.array(z.enum(deliveryChannels)).min(1).optional(),
});

const capDefaults = z.strictObject({
  category: z.enum(capValues.category),
  event: z.string().min(1).max(100),
  urgency: z.enum(capValues.urgency),
  severity: z.enum(capValues.severity),
  certainty: z.enum(capValues.certainty),
  responseType: z.enum(capValues.responseType),
});

const templateText = z.strictObject({
  what: z.string().min(1).max(500),
  where: z.string().min(1).max(300),
  actions: z.string().min(1).max(500),
});

// One hazard of the catalogue: its CAP defaults and the starting template text per language.
const hazard = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: z.string().min(1).max(100),
  kinds: z.array(z.enum(['emergency', 'operations', 'test', 'exercise'])).min(1),
  cap: capDefaults,
  templates: z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), templateText),
});

/**
 * A paging server the office_phones channel pushes every message to (InformaCast, Alertus and the
 * like page IP phones and overhead speakers): the CAP 1.2 document, or a JSON body signed with the
 * secret (HMAC-SHA256, X-Tocsin-Signature). Its deliveries have the address "paging:<name>".
 */
const pagingServer = z
  .strictObject({
    name: slug,
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    format: z.enum(['cap', 'webhook']),
    secret: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  })
  .refine((s) => s.format !== 'webhook' || s.secret !== undefined, {
    error: 'a webhook paging server needs a secret (its receiver verifies X-Tocsin-Signature with it)',
    path: ['secret'],
  });
export type PagingServer = z.infer<typeof pagingServer>;

/** The alert engine's profile section: kinds, channels, languages, delivery, the hazard catalogue, replies. */
export const alertsProfileSections = {
  alerts: z.strictObject({
    kinds: z.strictObject({ emergency: alertKind, operations: alertKind, test: alertKind }),
    initiationDelayThresholdMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    delayReasons: z.array(z.enum(['assist_victim', 'contain', 'respond', 'mitigate'])).min(1),
    /** Suggestions the console offers for "source of confirmation" (the operator may type another). */
    confirmationSources: z.array(z.string().min(1).max(200)).max(50).default([]),
    channels: z.array(z.enum(deliveryChannels)),
    /** Where the office_phones channel also pages IP phones and overhead speakers (default none). */
    pagingServers: z.array(pagingServer).max(20).default([]),
    languages: z.array(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/)).min(1),
    /**
     * Per non-primary language, the sentence a follow-up carries in that language when the operator
     * did not write it there: it says the details are in the primary language, then the primary text
     * follows (never the template's earlier words, which may contradict the update).
     */
    detailsInPrimaryLanguage: z
      .record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), z.string().min(1).max(200))
      .default({ es: 'Los detalles están en inglés.' }),
    deliveryMaxAgeMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    delivery: z
      .strictObject({
        /** First retry after about this long; each retry doubles it (with jitter) up to retryMaxSeconds. */
        retryBaseSeconds: z.number().min(0.1).max(600).default(2),
        retryMaxSeconds: z.number().min(1).max(3600).default(60),
        /** A provider's circuit opens after this many consecutive retryable failures… */
        circuitFailureThreshold: z.number().int().min(1).max(10_000).default(20),
        /** …and lets a probe through after this long. */
        circuitOpenSeconds: z.number().min(0.5).max(3600).default(5),
        /** A delivery `sending` this long with no sign of life from its worker goes back to the queue. */
        stuckAfterSeconds: z.number().int().min(5).max(3600).default(30),
      })
      .prefault({}),
    hazards: z.array(hazard).min(1, 'the hazard catalogue needs at least one hazard'),
    replies: repliesProfileSchema,
    /** Scheduled tests and exercises: reminders by email before each one fires ("7d", "1d", "1h", "30m"). */
    schedules: z
      .strictObject({
        reminderOffsets: z
          .array(z.string().regex(/^[1-9][0-9]{0,3}[mhdw]$/, 'an offset like "7d", "1d", "1h" or "30m"'))
          .max(10)
          .default(['7d', '1d', '1h']),
      })
      .prefault({}),
  }),
};

/**
 * Rules across the alert sections: hazards have unique codes and the primary language's text,
 * templates only in declared languages, default channels among the channels, and each kind's
 * sendRoles agreeing with the roles that hold its send permission.
 */
export function alertsProfileProblems(profile: Profile): string[] {
  return [...hazardProblems(profile), ...kindProblems(profile), ...pagingProblems(profile)];
}

function pagingProblems(profile: Profile): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const [i, server] of profile.alerts.pagingServers.entries()) {
    if (names.has(server.name))
      problems.push(`alerts.pagingServers.${i}.name: "${server.name}" appears twice`);
    names.add(server.name);
  }
  if (profile.alerts.pagingServers.length > 0 && !profile.alerts.channels.includes('office_phones'))
    problems.push(
      'alerts.pagingServers: paging servers are reached on the office_phones channel, which alerts.channels does not list',
    );
  return problems;
}

function hazardProblems(profile: Profile): string[] {
  const problems: string[] = [];
  const primary = profile.alerts.languages[0]!;
  const codes = new Set<string>();
  for (const [i, h] of profile.alerts.hazards.entries()) {
    if (codes.has(h.code)) problems.push(`alerts.hazards.${i}.code: "${h.code}" appears twice`);
    codes.add(h.code);
    if (!h.templates[primary])
      problems.push(`alerts.hazards.${i}.templates: needs the primary language "${primary}"`);
    for (const lang of Object.keys(h.templates)) {
      if (!profile.alerts.languages.includes(lang))
        problems.push(`alerts.hazards.${i}.templates.${lang}: "${lang}" is not in alerts.languages`);
    }
  }
  for (const lang of profile.alerts.languages.slice(1)) {
    if (!profile.alerts.detailsInPrimaryLanguage[lang])
      problems.push(
        `alerts.detailsInPrimaryLanguage.${lang}: a follow-up in "${lang}" needs the sentence saying its details are in "${primary}"`,
      );
  }
  return problems;
}

function kindProblems(profile: Profile): string[] {
  const problems: string[] = [];
  for (const [kind, definition] of Object.entries(profile.alerts.kinds)) {
    for (const channel of definition.defaultChannels ?? []) {
      if (!profile.alerts.channels.includes(channel))
        problems.push(`alerts.kinds.${kind}.defaultChannels: "${channel}" is not in alerts.channels`);
    }
    const permission = `alerts.send.${kind}` as Permission;
    for (const [name, role] of Object.entries(profile.roles)) {
      const listed = definition.sendRoles.includes(name);
      const granted = role.permissions.includes(permission);
      if (listed !== granted) {
        problems.push(
          `roles.${name}.permissions: ${listed ? 'lacks' : 'grants'} ${permission} but alerts.kinds.${kind}.sendRoles ${listed ? 'lists' : 'does not list'} the role; make them agree`,
        );
      }
    }
  }
  return problems;
}
