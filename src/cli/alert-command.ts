import type { Command } from 'commander';
import { listOutbox } from '../alerts/outbox.queries.js';
import { alertKinds, type AlertKind, type AudienceSpec } from '../alerts/alerts.tables.js';
import { sendAlert } from '../alerts/send-alert.js';
import { closeAlert, sendFollowUp } from '../alerts/follow-up.js';
import { listTemplates } from '../alerts/templates.js';
import { alertTracking } from '../alerts/tracking/alert-tracking.js';
import { trackingTable } from '../alerts/tracking/tracking-table.js';
import { noRequest } from '../platform/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { withSystem } from './cli-support.js';
import {
  operatorPrincipal,
  withOperatorCredentials,
  type OperatorCredentials,
} from './operator-credentials.js';

/** "everyone", "building:W20,N52", "affiliation:student", "group:<uuid>" joined with ";". */
export function parseAudience(text: string): AudienceSpec {
  const spec: AudienceSpec = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value = ''] = part.split(':', 2) as [string, string?];
    const values = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (key === 'everyone') spec.everyone = true;
    else if (key === 'building' || key === 'zone' || key === 'location')
      spec.locationCodes = [...(spec.locationCodes ?? []), ...values];
    else if (key === 'affiliation')
      spec.affiliations = [...(spec.affiliations ?? []), ...(values as never[])];
    else if (key === 'group') spec.groupIds = [...(spec.groupIds ?? []), ...values];
    else
      throw new AppError(
        'validation',
        `Unknown audience "${part}": use everyone, building:W20, zone:WEST, affiliation:student or group:<id>, joined with ";".`,
      );
  }
  return spec;
}

async function templateId(ctx: AppContext, name: string): Promise<string> {
  const templates = await listTemplates(ctx.db);
  const found = templates.find(
    (t) => t.hazard === name || t.name.toLowerCase() === name.toLowerCase() || t.id === name,
  );
  if (!found)
    throw new AppError(
      'not_found',
      `No template "${name}". Templates: ${templates.map((t) => t.hazard).join(', ')}.`,
    );
  return found.id;
}

/** --escalate-after: whole minutes from 1 to 1440 (sendAlert checks the range and that --ack goes with it). */
export function parseEscalateAfter(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,4}$/.test(text.trim()))
    throw new AppError(
      'validation',
      `--escalate-after must be a number of minutes from 1 to 1440, not "${text}".`,
    );
  return Number(text.trim());
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Print an alert's tracking table; with watch, redraw it every second until the alert is sent. */
async function printTracking(ctx: AppContext, alertId: string, watch: boolean): Promise<void> {
  for (;;) {
    const tracking = await alertTracking(ctx.db, alertId, ctx.profile.alerts.channels);
    // Redraw in place on a terminal; a pipe gets one table per refresh.
    if (watch && process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J');
    console.log(trackingTable(tracking).join('\n'));
    if (!watch || tracking.alert.status !== 'sending') return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** alert send | status. */
export function registerAlertCommands(program: Command): void {
  const alert = program.command('alert').description('Send alerts and follow their delivery');

  withOperatorCredentials(alert.command('send'))
    .description(
      'Send an alert now (a test unless --kind says otherwise), as the operator whose API token is given',
    )
    .requiredOption('--template <hazard or name>', 'e.g. shelter_in_place')
    .requiredOption('--where <text>', 'where, in words, e.g. "Building W20 (Student Center)"')
    .requiredOption(
      '--audience <spec>',
      'everyone | building:W20 | zone:WEST | affiliation:student | group:<id>, joined with ";"',
    )
    .option('--kind <kind>', alertKinds.join(', '), 'test')
    .option('--test', 'same as --kind test')
    .option('--channels <list>', 'comma-separated channels', 'sms,email,voice,public_page,signage')
    .option('--reason <text>', 'why this audience', 'chosen by the operator')
    .option('--confirmed-by <name>', 'emergency: who confirmed it')
    .option('--source <text>', 'emergency: how it was confirmed')
    .option('--confirmed-at <iso time>', 'emergency: when it was confirmed (default now)')
    .option('--ack', 'ask people to answer: SMS "Reply 1 if safe, 2 if you need help", email buttons')
    .option(
      '--escalate-after <minutes>',
      'with --ack: call everyone who has not answered after this many minutes (1-1440)',
    )
    .action(
      (
        opts: OperatorCredentials & {
          template: string;
          where: string;
          audience: string;
          kind: string;
          test?: boolean;
          channels: string;
          reason: string;
          confirmedBy?: string;
          source?: string;
          confirmedAt?: string;
          ack?: boolean;
          escalateAfter?: string;
        },
      ) =>
        withSystem(async ({ ctx }) => {
          const kind = (opts.test ? 'test' : opts.kind) as AlertKind;
          if (!alertKinds.includes(kind))
            throw new AppError('validation', `--kind must be one of ${alertKinds.join(', ')}.`);
          const principal = await operatorPrincipal(ctx, opts, 'alert send', 'alerts.read');
          const sent = await sendAlert(ctx, principal, {
            templateId: await templateId(ctx, opts.template),
            kind,
            where: opts.where,
            audience: parseAudience(opts.audience),
            audienceReason: opts.reason,
            channels: opts.channels.split(',').map((c) => c.trim()),
            record: {
              confirmedBy: opts.confirmedBy,
              confirmationSource: opts.source,
              confirmedAt: opts.confirmedBy ? new Date(opts.confirmedAt ?? Date.now()) : null,
            },
            acknowledgementRequested: opts.ack ?? opts.escalateAfter !== undefined,
            escalationMinutes: parseEscalateAfter(opts.escalateAfter),
            request: noRequest,
          });
          console.log(
            `Alert ${sent.alertId} is sending. Follow it with: tocsin alert status ${sent.alertId}`,
          );
        }),
    );

  alert
    .command('status <alertId>')
    .description('An alert’s delivery per message and channel: counts, throughput, latency, failures')
    .option('--watch', 'refresh every second until the alert is sent')
    .action((alertId: string, opts: { watch?: boolean }) =>
      withSystem(async ({ ctx }) => {
        if (!uuidPattern.test(alertId))
          throw new AppError('validation', `"${alertId}" is not an alert id (a UUID, as alert send prints).`);
        await printTracking(ctx, alertId, opts.watch ?? false);
      }),
    );

  withOperatorCredentials(alert.command('update <alertId>'))
    .description('Send an update (or --all-clear) to the same audience, as the operator whose token is given')
    .option('--all-clear', 'send the all-clear instead of an update')
    .option('--what <text>', 'what changed')
    .option('--where <text>', 'where, if it changed')
    .option('--actions <text>', 'what to do now')
    .action(
      (
        alertId: string,
        opts: OperatorCredentials & { allClear?: boolean; what?: string; where?: string; actions?: string },
      ) =>
        withSystem(async ({ ctx }) => {
          const principal = await operatorPrincipal(ctx, opts, 'alert update', 'alerts.read');
          const sent = await sendFollowUp(ctx, principal, alertId, {
            type: opts.allClear ? 'all_clear' : 'update',
            what: opts.what,
            where: opts.where,
            actions: opts.actions,
            request: noRequest,
          });
          console.log(
            `${opts.allClear ? 'All-clear' : 'Update'} ${sent.sequence} of alert ${alertId} is sending.`,
          );
        }),
    );

  withOperatorCredentials(alert.command('close <alertId>'))
    .description(
      'Close a sent alert (after its all-clear, or with --reason), as the operator whose token is given',
    )
    .option('--reason <text>', 'why it closes without an all-clear')
    .action((alertId: string, opts: OperatorCredentials & { reason?: string }) =>
      withSystem(async ({ ctx }) => {
        const principal = await operatorPrincipal(ctx, opts, 'alert close', 'alerts.read');
        await closeAlert(ctx, principal, alertId, { reason: opts.reason, request: noRequest });
        console.log(`Alert ${alertId} closed.`);
      }),
    );

  program
    .command('outbox')
    .description('Messages the outbox provider stored instead of sending, newest first')
    .option('--channel <channel>', 'sms, voice, email, cap, x, facebook, signage, …')
    .option('--limit <n>', 'how many', '10')
    .action((opts: { channel?: string; limit: string }) =>
      withSystem(async ({ ctx }) => {
        const limit = Math.min(500, Number(opts.limit) || 10);
        for (const m of await listOutbox(ctx.db, { channel: opts.channel, limit }))
          console.log(`[${m.channel} → ${m.address}]${m.subject ? ` ${m.subject}` : ''}\n${m.body}\n`);
      }),
    );
}
