import type { Command } from 'commander';
import { createOperator } from '../identity/create-operator.js';
import {
  resetOperatorMfa,
  resetOperatorPassword,
  setOperatorDisabled,
  setOperatorRoles,
} from '../identity/manage-operator.js';
import { findCredentialsByUsername, listOperators, rolesOfMany } from '../identity/operators.queries.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { noRequest } from '../platform/actor.js';
import { cliActor, withSystem } from './cli-support.js';

async function operatorId(ctx: AppContext, username: string): Promise<string> {
  const row = await findCredentialsByUsername(ctx.db, username);
  if (!row)
    throw new AppError('not_found', `No operator named "${username}". List them with: tocsin users list`);
  return row.id;
}

const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** users create | list | roles | reset-mfa | reset-password | disable | enable. */
export function registerUserCommands(program: Command): void {
  const users = program
    .command('users')
    .description('Operator accounts: create, list, assign roles, reset MFA or password, disable');

  users
    .command('create <username>')
    .description('Create an operator; prints a one-time secret they sign in with (shown once)')
    .requiredOption('--name <display name>', 'the name shown in the console and audit log')
    .option('--email <email>', 'contact email')
    .option('--role <role>', 'a role from the profile (repeat or comma-separate)', collect, [])
    .action((username: string, opts: { name: string; email?: string; role: string[] }) =>
      withSystem(async ({ ctx }) => {
        const created = await createOperator(ctx, cliActor(), {
          username,
          displayName: opts.name,
          email: opts.email ?? null,
          roles: opts.role,
          request: noRequest,
        });
        console.log(
          `Created ${created.operator.username} with roles: ${created.operator.roles.join(', ') || 'none'}`,
        );
        console.log(`One-time secret (shown once): ${created.oneTimeSecret}`);
      }),
    );

  users
    .command('list')
    .description('List operators with their roles and MFA state')
    .action(() =>
      withSystem(async ({ ctx }) => {
        const rows = await listOperators(ctx.db, { limit: 10_000 });
        const roles = await rolesOfMany(
          ctx.db,
          rows.map((r) => r.id),
        );
        for (const r of rows) {
          const flags = [
            r.totp_enrolled_at ? 'mfa' : 'no-mfa',
            r.disabled_at ? 'disabled' : null,
            r.sso_issuer ? 'sso' : null,
          ].filter(Boolean);
          console.log(
            `${r.username.padEnd(24)} ${(roles.get(r.id) ?? []).join(',').padEnd(40)} ${flags.join(' ')}`,
          );
        }
      }),
    );

  users
    .command('roles <username> [roles...]')
    .description('Replace an operator’s roles with exactly these (none: remove all); ends their sessions')
    .action((username: string, roles: string[]) =>
      withSystem(async ({ ctx }) => {
        const view = await setOperatorRoles(
          ctx,
          cliActor(),
          await operatorId(ctx, username),
          roles.flatMap((r) => r.split(',')),
          noRequest,
        );
        console.log(`${view.username}: ${view.roles.join(', ') || 'no roles'}`);
      }),
    );

  users
    .command('reset-mfa <username>')
    .description('Remove an operator’s two-factor enrolment; they enrol again at next sign-in')
    .action((username: string) =>
      withSystem(async ({ ctx }) => {
        await resetOperatorMfa(ctx, cliActor(), await operatorId(ctx, username), noRequest);
        console.log(`MFA reset for ${username}; they will enrol again at next sign-in.`);
      }),
    );

  users
    .command('reset-password <username>')
    .description('Issue a new one-time secret and unlock the account; prints the secret once')
    .action((username: string) =>
      withSystem(async ({ ctx }) => {
        const result = await resetOperatorPassword(
          ctx,
          cliActor(),
          await operatorId(ctx, username),
          noRequest,
        );
        console.log(`One-time secret for ${result.operator.username} (shown once): ${result.oneTimeSecret}`);
      }),
    );

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${name} <username>`)
      .description(disabled ? 'Disable an operator and end their sessions' : 'Re-enable a disabled operator')
      .action((username: string) =>
        withSystem(async ({ ctx }) => {
          await setOperatorDisabled(ctx, cliActor(), await operatorId(ctx, username), disabled, noRequest);
          console.log(`${username} ${disabled ? 'disabled' : 'enabled'}.`);
        }),
      );
  }
}
