import { Type, type Static } from 'typebox';

/** GET /api/v1/roles: the profile's roles, in the profile's order. */
export const RolesSchema = Type.Object({
  roles: Type.Array(
    Type.Object({
      key: Type.String({ description: 'What operators are given (PUT /api/v1/operators/:id/roles)' }),
      title: Type.String(),
      description: Type.String(),
      privileged: Type.Boolean({ description: 'Operators holding it must use MFA' }),
      permissions: Type.Array(Type.String()),
    }),
  ),
});

export type RolesView = Static<typeof RolesSchema>;
export type RoleView = RolesView['roles'][number];
