import { z } from 'zod';

/** A profile key: lower-case letters, digits, - or _, starting with a letter (roles, campuses). */
export const slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _, starting with a letter');

/** A phone number as people write it. */
export const phone = z.string().regex(/^[0-9+() .-]{3,}$/, 'must be a phone number');
