import { z } from 'zod';
import { slug } from './profile-fields.js';

/**
 * Platform's part of the policy profile: the institution and its campuses. Each domain declares
 * its own sections beside its code; src/app/profile.schema.ts composes the whole profile.
 */
export const platformProfileSections = {
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
};
