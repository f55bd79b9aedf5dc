import { z } from 'zod';
import { alertsProfileSections } from '../alerts/alerts.profile.js';
import { campusMapProfileSections } from '../directory/campus-map.profile.js';
import { directoryProfileSections } from '../directory/directory.profile.js';
import { identityProfileSections } from '../identity/identity.profile.js';
import { slug } from '../platform/profile-fields.js';
import { platformProfileSections } from '../platform/profile.schema.js';
import { publicProfileSections } from '../public/public.profile.js';

// Sections for the domains still to come (Clery records, anonymous reports, the panic-button
// programme, the security office): validated now so a campus's profile is checked whole; each
// moves to its domain's *.profile.ts when the domain is built.
const comingDomainSections = {
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
};

/** The policy profile, composed: platform's sections and every domain's (a new domain adds one line). */
export const profileSchema = z.strictObject({
  ...platformProfileSections,
  ...identityProfileSections,
  ...publicProfileSections,
  ...alertsProfileSections,
  ...directoryProfileSections,
  ...campusMapProfileSections,
  ...comingDomainSections,
});

type ProfileSections = z.infer<typeof profileSchema>;

declare module '../platform/profile.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the composed sections are the whole content
  interface Profile extends ProfileSections {}
}
