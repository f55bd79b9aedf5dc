/** The kinds of actor the audit log records. */
export type ActorType = 'operator' | 'api_token' | 'system' | 'anonymous';

/** Who did something: an operator, an integration token, the system itself or an anonymous person. */
export interface Actor {
  type: ActorType;
  id: string | null;
  label: string | null;
}

/** Where a request came from, for audit rows and logs. */
export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
  userAgent?: string | null;
}

export const systemActor: Actor = { type: 'system', id: null, label: 'tocsin' };
export const noRequest: RequestMeta = { ip: null, requestId: null };
