import { z } from 'zod';
import { slug } from '../platform/profile-fields.js';
import type { Profile } from '../platform/profile.js';
import { permissions } from './permissions.js';

const role = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  privileged: z.boolean(),
  permissions: z.array(z.enum(permissions, { message: `must be one of: ${permissions.join(', ')}` })),
});

/** The identity domain's profile sections: roles and their permissions, sign-in security, SSO. */
export const identityProfileSections = {
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
};

/** The bootstrap role must be able to add operators, or the first administrator is stuck alone. */
export function identityProfileProblems(profile: Profile): string[] {
  const bootstrap = profile.roles[profile.bootstrapRole];
  if (!bootstrap || bootstrap.permissions.includes('operators.manage')) return [];
  return [
    `bootstrapRole: role "${profile.bootstrapRole}" must have operators.manage so the first administrator can add others`,
  ];
}
