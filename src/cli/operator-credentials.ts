import type { Command } from 'commander';
import { requirePermission } from '../identity/access-control.js';
import { authenticateApiToken } from '../identity/api-tokens.js';
import type { Permission } from '../identity/permissions.js';
import type { TokenPrincipal } from '../identity/principal.js';
import { noRequest } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';

/** --token and --as of a command that acts for an operator. */
export interface OperatorCredentials {
  token?: string;
  as?: string;
}

/** Add --token and --as to a command that acts for an operator (alert send, update, close). */
export function withOperatorCredentials(command: Command): Command {
  return command
    .option(
      '--token <token>',
      'the API token of the operator this acts for (default: $TOCSIN_TOKEN, which is better: the process list shows arguments)',
    )
    .option('--as <username>', 'refuse unless the token is this operator’s');
}

/**
 * The operator a command acts for, from their API token, authenticated and authorized exactly as a
 * bearer token over HTTP: an unknown, expired or revoked token, or one whose operator is disabled,
 * is refused with the API's message; without `floor` (the route's permission) the refusal is
 * audited as access.denied. The use case then checks its own permission (alerts.send.<kind>).
 *
 * Why a token and not a username: the command line runs on the server with the database's keys, so
 * it cannot ask for an operator's password and second factor. A token is what the operator (or, for
 * them, the machine's administrator with `tocsin tokens create --for`, audited and told to them)
 * delegated; it carries no more than their roles grant now, and the audit log names them.
 */
export async function operatorPrincipal(
  ctx: AppContext,
  credentials: OperatorCredentials,
  command: string,
  floor: Permission,
): Promise<TokenPrincipal> {
  const token = credentials.token ?? ctx.config.cliToken;
  if (!token)
    throw new AppError(
      'unauthenticated',
      `tocsin ${command} acts for an operator: set TOCSIN_TOKEN to their API token (or pass --token). ` +
        'The machine’s administrator makes one for them with: ' +
        'tocsin tokens create --for <username> --name "<what it is for>" --permission alerts.read,alerts.send.test',
    );
  const principal = await authenticateApiToken(ctx, token);
  if (!principal)
    throw new AppError('unauthenticated', 'The API token is malformed, unknown, expired or revoked.');
  if (credentials.as !== undefined && principal.operator !== credentials.as.trim().toLowerCase())
    throw new AppError(
      'forbidden',
      `This token acts for ${principal.operator ?? 'no operator'}, not ${credentials.as} (--as).`,
    );
  await requirePermission(ctx, principal, floor, { command: `tocsin ${command}` }, noRequest);
  return principal;
}
