import type { Principal } from '../../identity/principal.js';
import { hasPermission } from '../../identity/principal.js';

/**
 * The need-help list names people and the numbers they answered from: it is shown to callers who
 * may already read people (directory.read: MIT Emergency Management and MIT Police, who act on it),
 * not to every alerts.read holder (viewers, the police chief, integration tokens for signage).
 */
export function mayReadNeedHelpList(principal: Principal): boolean {
  return hasPermission(principal, 'directory.read');
}

/** Who a stream belongs to, for the per-caller stream limit: the operator or the API token. */
export function streamOwner(principal: Principal): string {
  return principal.kind === 'session' ? `operator:${principal.operatorId}` : `token:${principal.tokenId}`;
}
