import { z } from 'zod';
import { contrastRatio, defaultBrand } from './brand.js';
import { slug } from './profile-fields.js';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb');

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
  // The institution's colours on every page (the public site, sign-in, the console); the primary colour
  // carries white text and is the links' colour on white, so it needs 4.5:1 against white (WCAG AA).
  branding: z
    .strictObject({
      primaryColour: hexColour.refine((c) => contrastRatio(c, '#ffffff') >= 4.5, {
        message: 'needs a contrast of at least 4.5:1 against white (WCAG AA): choose a darker colour',
      }),
      accentColour: hexColour.optional(),
    })
    .default(defaultBrand),
  campuses: z
    .array(z.strictObject({ slug, name: z.string().min(1), address: z.string().optional() }))
    .min(1, 'declare at least one campus'),
};
