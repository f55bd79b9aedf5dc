import { z } from 'zod';

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
  /** Desk numbers: office_phone contacts, called on the office_phones channel, never texted. */
  officePhone: z.string().min(1).optional(),
  homeBuilding: z.string().min(1).optional(),
  residenceHall: z.string().min(1).optional(),
  preferredLanguage: z.string().min(1).optional(),
});

/** The directory's profile section: affiliations, feed field mappings, sync and ownership rules. */
export const directoryProfileSections = {
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
};
