import { permissions } from '../../src/identity/permissions.js';
import type { TokenPrincipal } from '../../src/identity/principal.js';

/** An API-token caller holding every permission, for use cases called directly in tests and benchmarks. */
export function fullAccessPrincipal(label: string): TokenPrincipal {
  return {
    kind: 'token',
    actor: { type: 'api_token', id: null, label },
    tokenId: label,
    permissions: new Set(permissions),
  };
}
