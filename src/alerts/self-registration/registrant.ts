import type { Actor, RequestMeta } from '../../platform/actor.js';

/** Who made an anonymous request: only what the throttle needs, never stored as given. */
export interface AnonymousRequest {
  /** The client's IP address: hashed for the throttle, never written anywhere. */
  clientIp: string | null;
  requestId: string | null;
}

/** Registrants are anonymous; their audit rows carry no IP address or user agent. */
export const registrantActor: Actor = { type: 'anonymous', id: null, label: 'self-registration' };

/** The request as audit rows record it: the request id only. */
export function auditedRequest(request: AnonymousRequest): RequestMeta {
  return { ip: null, requestId: request.requestId, userAgent: null };
}
