import { z } from 'zod';
import { permissions } from '../identity/permissions.js';
import { capValues } from '../alerts/rendering/cap-values.js';
import { deliveryChannels } from '../alerts/alerts.tables.js';
import { repliesProfileSchema } from '../alerts/replies/replies.profile.js';

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _, starting with a letter');
const phone = z.string().regex(/^[0-9+() .-]{3,}$/, 'must be a phone number');

const role = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  privileged: z.boolean(),
  permissions: z.array(z.enum(permissions, { message: `must be one of: ${permissions.join(', ')}` })),
});

const contact = z.strictObject({
  name: z.string().min(1),
  phone: phone.optional(),
  campusPhone: z.string().optional(),
  email: z.email().optional(),
  location: z.string().optional(),
  note: z.string().optional(),
  emergency: z.boolean().default(false),
});

const alertKind = z.strictObject({
  title: z.string().min(1),
  description: z.string().min(1),
  sendRoles: z.array(slug).min(1, 'at least one role must be able to send'),
  /** The channels the console ticks for a new alert of this kind (default: every channel of the profile). */
  defaultChannels: z.array(z.enum(deliveryChannels)).min(1).optional(),
});

// Where each directory field comes from in a feed (a CSV column or an LDAP attribute).
const fieldMapping = z.strictObject({
  institutionalId: z.string().min(1),
  affiliation: z.string().min(1),
  givenName: z.string().min(1).optional(),
  familyName: z.string().min(1).optional(),
  displayName: z.string().min(1).optional(),
  department: z.string().min(1).optional(),
  email: z.string().min(1),
  mobile: z.string().min(1).optional(),
  homeBuilding: z.string().min(1).optional(),
  residenceHall: z.string().min(1).optional(),
  preferredLanguage: z.string().min(1).optional(),
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

/** The policy profile: every number, role and list a campus's policies set. */
export const profileSchema = z.strictObject({
  version: z.literal(1),
  institution: z.strictObject({
    name: z.string().min(1),
    shortName: z.string().min(1).max(20),
    alertProgramName: z.string().min(1),
    messagePrefix: z.string().min(1).max(30),
    timezone: z.string().min(1),
    emergencyPageUrl: z.url().optional(),
    extendedCommunityUrl: z.url().optional(),
  }),
  campuses: z
    .array(z.strictObject({ slug, name: z.string().min(1), address: z.string().optional() }))
    .min(1, 'declare at least one campus'),
  emergencyContacts: z.array(contact).min(1, 'the public page needs at least one emergency contact'),
  roles: z.record(slug, role).refine((r) => Object.keys(r).length > 0, 'declare at least one role'),
  bootstrapRole: slug,
  security: z.strictObject({
    mfaRequiredForPrivilegedRoles: z.literal(true, { message: 'privileged roles always need MFA' }),
    passwordMinLength: z.number().int().min(12).max(128),
    session: z.strictObject({
      idleMinutes: z
        .number()
        .int()
        .min(5)
        .max(24 * 60),
      absoluteHours: z
        .number()
        .int()
        .min(1)
        .max(7 * 24),
    }),
    login: z.strictObject({
      maxFailures: z.number().int().min(3).max(50),
      windowMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      lockoutMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      maxAttemptsPerIpPerMinute: z.number().int().min(5).max(10_000),
    }),
    apiTokenMaxDays: z.number().int().min(1).max(3650),
  }),
  sso: z.strictObject({
    groupRoles: z.record(z.string().min(1), z.array(slug)),
    createOperatorsOnFirstSignIn: z.boolean(),
  }),
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
    languages: z.array(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/)).min(1),
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
  }),
  /** The public emergency page, its archive, feeds and the signage view. */
  publicSite: z
    .strictObject({
      /** How long the page keeps showing "All clear" after an alert's all-clear. */
      allClearShownHours: z
        .number()
        .min(0)
        .max(24 * 30)
        .default(24),
      /** Past alerts listed on the front page under the status (the archive has them all). */
      recentAlerts: z.number().int().min(0).max(50).default(5),
      /** Entries in the Atom and RSS feeds (newest messages first). */
      feedEntries: z.number().int().min(1).max(500).default(50),
      /** The signage view's calm default when nothing is active, per language (falls back to the first). */
      signageDefault: z.record(z.string(), z.string().min(1).max(200)).default({}),
    })
    .prefault({}),
  directory: z.strictObject({
    defaultPhoneRegion: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code such as US'),
    affiliationValues: z.strictObject({
      student: z.array(z.string().min(1)).min(1),
      employee: z.array(z.string().min(1)).min(1),
      affiliate: z.array(z.string().min(1)).min(1),
    }),
    csvColumns: fieldMapping,
    ldapAttributes: fieldMapping,
    autoEnrolAffiliations: z.array(z.enum(['student', 'employee', 'affiliate', 'extended'])),
    ownerMayRemoveDirectoryEmail: z.boolean(),
    ownerMayRemoveDirectoryPhone: z.boolean(),
    syncMaxDeactivationPercent: z.number().min(0).max(100),
    extendedCommunitySelfRegistration: z.boolean(),
  }),
  retention: z.strictObject({
    cardReaderLogDays: z.number().int().min(1),
    videoDays: z.number().int().min(1),
    sessionRecordsDays: z.number().int().min(1),
    anonymousReportIpRetained: z.literal(false, { message: 'anonymous reports never keep an IP address' }),
  }),
  clery: z.strictObject({
    emergencyResponseTestsPerYear: z.number().int().min(1),
    testsPublicisedPerYear: z.number().int().min(1),
    timelyWarningIssuerRoles: z.array(slug),
  }),
  duress: z.strictObject({
    reviewBody: z.string().min(1),
    reviewRoles: z.array(slug).min(1),
    testIntervalMonths: z.number().int().min(1),
    qualifyingCriteria: z.array(z.string().min(1)).min(1),
    installationRequirements: z.array(z.string().min(1)).min(1),
  }),
  securityOffice: z.strictObject({
    cardLogUses: z.array(z.enum(['troubleshooting', 'criminal_investigation'])),
    cardLogInvestigationRequesterRoles: z.array(slug).min(1),
    cardLogRequiresSignedWrittenRequest: z.boolean(),
    videoExportApproverRoles: z.array(slug).min(1),
    videoAudioRecordingAllowed: z.literal(false, {
      message: 'audio recording must stay disabled (federal and state law)',
    }),
    photoReleaseRequesterRoles: z.array(slug).min(1),
  }),
});

export type Profile = z.infer<typeof profileSchema>;
export type RoleDefinition = z.infer<typeof role>;
