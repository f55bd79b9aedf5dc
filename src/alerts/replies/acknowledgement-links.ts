import type { AppContext } from '../../platform/context.js';
import { signLinkToken, signLinkTokens } from '../../platform/link-tokens.js';

/** Where a delivery's acknowledgement page lives: `/ack/<token>`, the token signed over the delivery id. */
export const acknowledgementPath = (token: string) => `/ack/${token}`;

/** The personal "I am safe / I need help" link of one delivery (email of an alert that asks for acknowledgements). */
export async function acknowledgementUrl(ctx: AppContext, deliveryId: string): Promise<string> {
  return ctx.config.publicUrl + acknowledgementPath(await signLinkToken(ctx.db, 'acknowledge', deliveryId));
}

/** The links of many deliveries at once, in the same order (one key lookup). */
export async function acknowledgementUrls(
  ctx: AppContext,
  deliveryIds: readonly string[],
): Promise<string[]> {
  const tokens = await signLinkTokens(ctx.db, 'acknowledge', deliveryIds);
  return tokens.map((token) => ctx.config.publicUrl + acknowledgementPath(token));
}
