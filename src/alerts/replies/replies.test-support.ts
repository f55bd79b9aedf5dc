import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TokenPrincipal } from '../../identity/principal.js';
import { noRequest } from '../../platform/actor.js';
import type { AppContext } from '../../platform/context.js';
import { defaultCampusId } from '../../directory/sync/sync.queries.js';
import type { Simulator } from '../../sim/simulator.js';
import type { InboundSmsResult } from '../../sim/inbound-sms.js';
import { sendAlert, type SendAlertOptions } from '../send-alert.js';
import { listTemplates } from '../templates.js';
import { fullAccessPrincipal } from '../../../test/support/principals.js';

/** A sender holding every permission (tests act as the CLI does). */
export const testSender: TokenPrincipal = fullAccessPrincipal('replies-test');

/** Only Twilio (to the simulator, no pacing): inbound SMS are verified with its auth token. */
export function twilioEnvironment(sim: Simulator): Record<string, string> {
  const e = sim.environment;
  return {
    TOCSIN_TWILIO_BASE_URL: e.TOCSIN_TWILIO_BASE_URL!,
    TOCSIN_TWILIO_ACCOUNT_SID: e.TOCSIN_TWILIO_ACCOUNT_SID!,
    TOCSIN_TWILIO_AUTH_TOKEN: e.TOCSIN_TWILIO_AUTH_TOKEN!,
    TOCSIN_TWILIO_SENDERS: [...sim.settings.senders].map((s) => `${s}=0`).join(','),
  };
}

/** A building of its own, so an alert to it reaches exactly the people a test puts there. */
export async function makeBuilding(ctx: AppContext): Promise<{ id: string; code: string }> {
  const code = `T${randomBytes(3).toString('hex').toUpperCase()}`;
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  const row = await ctx.db
    .insertInto('locations')
    .values({ campus_id: campusId, kind: 'building', code, name: `Test building ${code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, code };
}

let nextNumber = 0;
/** A fictional 555-01xx number no other test in the file uses (never the simulator's 555-0100 sender). */
export const fictionalNumber = (areaCode = 617) =>
  `+1${areaCode}55501${String(10 + (nextNumber++ % 90)).padStart(2, '0')}`;

/** A person in a building with the contacts given. */
export async function makePerson(
  ctx: AppContext,
  buildingId: string,
  contacts: { sms?: string; voice?: string; email?: string; language?: string; name?: string },
): Promise<string> {
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  const person = await ctx.db
    .insertInto('people')
    .values({
      campus_id: campusId,
      affiliation: 'employee',
      display_name: contacts.name ?? `Person ${randomBytes(3).toString('hex')}`,
      home_building_id: buildingId,
      preferred_language: contacts.language ?? 'en',
      source: 'manual',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = (['sms', 'voice', 'email'] as const).flatMap((channel) =>
    contacts[channel]
      ? [{ person_id: person.id, channel, address: contacts[channel], source: 'directory' as const }]
      : [],
  );
  if (rows.length > 0) await ctx.db.insertInto('contacts').values(rows).execute();
  return person.id;
}

/** Send a test alert to one building. */
export async function sendTo(
  ctx: AppContext,
  buildingCode: string,
  options: Partial<SendAlertOptions> & { hazard?: string } = {},
): Promise<string> {
  const template = (await listTemplates(ctx.db)).find(
    (t) => t.hazard === (options.hazard ?? 'shelter_in_place'),
  )!;
  const { alertId } = await sendAlert(ctx, testSender, {
    templateId: template.id,
    kind: 'test',
    where: `Building ${buildingCode}`,
    audience: { locationCodes: [buildingCode] },
    audienceReason: 'Replies test',
    channels: ['sms'],
    record: {},
    request: noRequest,
    ...options,
  });
  return alertId;
}

/** Wait until the alert is sent (every message fanned out, nothing waiting). */
export async function waitForSent(ctx: AppContext, alertId: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const row = await ctx.db
      .selectFrom('alerts')
      .select('status')
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    if (row.status === 'sent') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alert ${alertId} never reached sent`);
}

/** A phone replying: the simulator posts a signed inbound-SMS webhook to Tocsin. */
export async function reply(
  sim: Simulator,
  webhookUrl: string,
  from: string,
  body: string,
  authToken?: string,
): Promise<InboundSmsResult> {
  const response = await fetch(`${sim.urls.control}/inbound-sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to: [...sim.settings.senders][0], body, webhookUrl, authToken }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as InboundSmsResult;
}

/** The SMS texts a number received, whichever provider carried them (the simulator or the outbox). */
export async function textsTo(ctx: AppContext, sim: Simulator, phone: string): Promise<string[]> {
  const outbox = await ctx.db
    .selectFrom('outbox_messages')
    .select('body')
    .where('channel', '=', 'sms')
    .where('address', '=', phone)
    .orderBy('created_at')
    .execute();
  const carried = sim
    .messages({ channel: 'sms', to: phone })
    .filter((m) => m.details?.direction !== 'reply')
    .reverse();
  return [...outbox.map((m) => m.body), ...carried.map((m) => m.body ?? '')];
}
