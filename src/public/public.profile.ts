import { z } from 'zod';
import { phone } from '../platform/profile-fields.js';

const contact = z.strictObject({
  name: z.string().min(1),
  phone: phone.optional(),
  campusPhone: z.string().optional(),
  email: z.email().optional(),
  location: z.string().optional(),
  note: z.string().optional(),
  emergency: z.boolean().default(false),
  /** The name, note and location in the site's other languages ({ es: { name, note } }); English otherwise. */
  translations: z
    .record(
      z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/),
      z.strictObject({
        name: z.string().min(1).optional(),
        note: z.string().min(1).optional(),
        location: z.string().min(1).optional(),
      }),
    )
    .optional(),
});

/** The public site's profile sections: the emergency contacts it lists, and the page's settings. */
export const publicProfileSections = {
  emergencyContacts: z.array(contact).min(1, 'the public page needs at least one emergency contact'),
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
};
