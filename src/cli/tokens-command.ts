import type { Command } from 'commander';
import { listApiTokens, revokeApiToken, type ApiTokenView } from '../identity/api-tokens.js';
import { createTokenForOperator } from '../identity/create-token-for-operator.js';
import { listScimTokens, revokeScimToken } from '../identity/scim-tokens.js';
import { noRequest } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { cliActor, withSystem } from './cli-support.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** --expires-in-days: whole days; createApiToken refuses more than the profile allows. */
function days(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,4}$/.test(text.trim()) || Number(text) < 1)
    throw new AppError('validation', `--expires-in-days must be a whole number of days, not "${text}".`);
  return Number(text);
}

function state(t: ApiTokenView, now: number): string {
  if (t.revokedAt) return 'revoked';
  return Date.parse(t.expiresAt) <= now ? 'expired' : 'active';
}

/** One line per token: never its secret. */
function tokenLine(t: ApiTokenView, now: number): string {
  return [
    t.id,
    state(t, now).padEnd(7),
    `for ${t.operator ?? '(nobody)'}`.padEnd(20),
    `expires ${t.expiresAt.slice(0, 10)}`,
    `last used ${t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never'}`.padEnd(27),
    `"${t.name}"`,
    t.permissions.join(','),
  ].join('  ');
}

/**
 * tokens create | list | revoke: API tokens from the server's command line, by its administrator
 * (audited as the system run by this machine's user, like the users commands). A token acts for a
 * named operator, with some of the permissions their roles grant: the same rules as POST
 * /api/v1/tokens, with the operator in the creator's place.
 */
export function registerTokenCommands(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('API tokens that act for an operator: create (shown once), list, revoke');

  tokens
    .command('create')
    .description(
      'Create a token that acts for an operator, with some of their permissions; prints the secret once',
    )
    .requiredOption('--for <username>', 'the operator the token acts for (told in the console)')
    .requiredOption('--name <text>', 'what uses it, e.g. "em1 on the EOC laptop"')
    .option(
      '--permission <permission>',
      'a permission the operator holds (repeat or comma-separate), e.g. alerts.read,alerts.send.test',
      collect,
      [],
    )
    .option('--scim', 'a SCIM provisioning token: exactly scim.provision (the operator must hold it)')
    .option('--expires-in-days <days>', 'default and limit: the profile’s apiTokenMaxDays')
    .action(
      (opts: { for: string; name: string; permission: string[]; scim?: boolean; expiresInDays?: string }) =>
        withSystem(async ({ ctx }) => {
          if (!opts.scim && opts.permission.length === 0)
            throw new AppError(
              'validation',
              'Give the token at least one --permission (or --scim for a SCIM provisioning token).',
            );
          const created = await createTokenForOperator(ctx, cliActor(), {
            username: opts.for,
            name: opts.name,
            permissions: opts.permission,
            expiresInDays: days(opts.expiresInDays),
            scim: opts.scim,
            request: noRequest,
          });
          const t = created.apiToken;
          console.log(
            `Created token ${t.id} "${t.name}" for ${t.operator}: ${t.permissions.join(', ')}; expires ${t.expiresAt}.`,
          );
          console.log(`Token (shown once): ${created.token}`);
        }),
    );

  tokens
    .command('list')
    .description('List tokens, newest first (never their secrets)')
    .option('--scim', 'only the tokens that can provision over SCIM')
    .action((opts: { scim?: boolean }) =>
      withSystem(async ({ ctx }) => {
        const rows = opts.scim ? await listScimTokens(ctx) : await listApiTokens(ctx);
        const now = ctx.clock.now().getTime();
        for (const t of rows) console.log(tokenLine(t, now));
        if (rows.length === 0) console.log('No tokens.');
      }),
    );

  tokens
    .command('revoke <id>')
    .description('Revoke a token by id (tokens list shows ids); it stops working at once')
    .option('--scim', 'refuse unless it is a SCIM provisioning token')
    .action((id: string, opts: { scim?: boolean }) =>
      withSystem(async ({ ctx }) => {
        if (!uuidPattern.test(id))
          throw new AppError('validation', `"${id}" is not a token id (a UUID, as tokens list shows).`);
        const revoke = opts.scim ? revokeScimToken : revokeApiToken;
        const t = await revoke(ctx, cliActor(), id, noRequest);
        console.log(`Revoked token ${t.id} "${t.name}"${t.operator ? ` of ${t.operator}` : ''}.`);
      }),
    );
}
