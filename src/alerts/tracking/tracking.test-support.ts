import type { TokenPrincipal } from '../../identity/principal.js';
import { noRequest } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { sendAlert } from '../send-alert.js';
import { listTemplates } from '../templates.js';
import { fullAccessPrincipal } from '../../../test/support/principals.js';

/** A principal holding every permission, for sending alerts in tests. */
export const testSender: TokenPrincipal = fullAccessPrincipal('tracking tests');

/** Send a test alert to everyone on the given channels (default SMS and email); returns its ids. */
export async function sendTrackedTestAlert(
  ctx: AppContext,
  options: { channels?: string[]; audience?: { everyone?: boolean; locationCodes?: string[] } } = {},
): Promise<{ alertId: string; messageId: string }> {
  const template = (await listTemplates(ctx.db)).find((t) => t.hazard === 'test');
  if (!template) throw new Error('the test template is missing');
  return sendAlert(ctx, testSender, {
    templateId: template.id,
    kind: 'test',
    where: 'Campus',
    audience: options.audience ?? { everyone: true },
    audienceReason: 'Tracking test',
    channels: options.channels ?? ['sms', 'email'],
    record: {},
    request: noRequest,
  });
}
