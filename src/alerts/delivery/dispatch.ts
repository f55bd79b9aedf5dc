import type { AppContext } from '../../platform/context.js';
import { breakerFor } from './breakers.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { claimDeliveries, touchSending, type ClaimedDelivery } from './claim-deliveries.js';
import { personalLinks } from './personal-links.js';
import type {
  DeliveryChannel,
  DeliveryProvider,
  MessageRenderings,
  OutgoingMessage,
  SendOutcome,
} from './provider.js';
import { providerRegistry } from './provider-registry.js';
import {
  recordAccepted,
  recordPermanent,
  recordRetries,
  recordTechnical,
  type Accepted,
  type Failed,
  type Retry,
} from './record-outcomes.js';
import { renderingsFor } from './renderings.js';
import { retryDecision } from './retry.policy.js';

/** Deliveries a worker claims at once per job; also what a crash can send twice, per job. */
export const claimSize = 250;
/** How often a batch still waiting on its provider shows the sweeper that it is alive. */
const touchEveryMs = 100;
/** A failed outcome write is tried again this many times, with doubling waits from 50 ms up to 5 s (~16 s in all). */
const writeAttempts = 10;

/**
 * Send every waiting delivery of one message on one channel, a claimed batch at a time, until none
 * is left and the message has fanned out completely. Each batch goes to the first provider of the
 * channel whose circuit admits it; what fails retryably there goes straight to the next one; what
 * is left retries later with backoff, or becomes technical_failure past its maximum age.
 */
export async function dispatchMessageChannel(
  ctx: AppContext,
  messageId: string,
  channel: DeliveryChannel,
  fannedOut: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    const batch = await claimDeliveries(ctx.db, messageId, channel, claimSize);
    if (batch.length > 0) await dispatchBatch(ctx, channel, batch);
    else if (await fannedOut()) return;
    else await new Promise((r) => setTimeout(r, 50));
  }
}

/** Send one claimed batch through the channel's providers and record every outcome. */
async function dispatchBatch(
  ctx: AppContext,
  channel: DeliveryChannel,
  batch: readonly ClaimedDelivery[],
): Promise<void> {
  const renderings = await renderingsFor(ctx, ctx.db, batch[0]!.message_id);
  const links = await personalLinks(ctx, channel, batch);
  let remaining: OutgoingMessage[] = batch.map((d) => ({
    deliveryId: d.id,
    alertId: d.alert_id,
    messageId: d.message_id,
    channel,
    address: d.address,
    language: d.language,
    personId: d.person_id,
    attempt: d.attempts,
    acknowledgeUrl: links.get(d.id)?.acknowledgeUrl ?? null,
    unsubscribeUrl: links.get(d.id)?.unsubscribeUrl ?? null,
  }));
  const lastFailure = new Map<string, ProviderFailure>();
  let circuitRetryAt: number | null = null;
  for (const provider of providerRegistry(ctx).providersFor(channel)) {
    if (remaining.length === 0) break;
    const mine = provider.accepts ? remaining.filter((m) => provider.accepts!(m)) : remaining;
    if (mine.length === 0) continue;
    const breaker = breakerFor(ctx, provider.name);
    if (!breaker.tryAcquire()) {
      const at = breaker.retryAt();
      if (at !== null) circuitRetryAt = circuitRetryAt === null ? at : Math.min(circuitRetryAt, at);
      continue;
    }
    const retryable = await sendThrough(ctx, provider, breaker, mine, renderings);
    for (const [id, failure] of retryable) lastFailure.set(id, { provider: provider.name, ...failure });
    const tried = new Set(mine);
    remaining = remaining.filter((m) => !tried.has(m) || retryable.has(m.deliveryId));
  }
  if (remaining.length === 0) return;
  await scheduleRetries(ctx, batch, remaining, lastFailure, circuitRetryAt);
}

type RetryableFailure = { error: string; code: string | null; retryAfterMs?: number };
/** A retryable failure and the provider that answered it (null: no provider was tried). */
type ProviderFailure = RetryableFailure & { provider: string | null };

/**
 * One provider's attempt at a list of messages. Accepted, delivered and permanent outcomes are
 * written as soon as they arrive, so that a crash re-sends only what was in flight; retryable ones
 * are returned for the next provider. A provider that throws leaves every unreported message retryable.
 *
 * Batching against durability: an accepted message is a promise kept only once its row says so;
 * until then a crash sends it again. Outcomes used to wait up to 100 ms in memory to be written
 * together, so a SIGKILL re-sent everything accepted in that window (hundreds at full speed), not
 * just the requests in flight. Now a write starts as soon as an outcome arrives (group commit): at
 * most one write is running per batch, and whatever arrives meanwhile goes in the next one. Under
 * load the statements still carry many rows each (the time of one write's worth of acceptances),
 * so throughput keeps its batching, while what memory alone holds is bounded by one write's
 * latency (milliseconds) instead of a timer.
 */
async function sendThrough(
  ctx: AppContext,
  provider: DeliveryProvider,
  breaker: CircuitBreaker,
  messages: readonly OutgoingMessage[],
  renderings: MessageRenderings,
): Promise<Map<string, RetryableFailure>> {
  const unreported = new Set(messages.map((m) => m.deliveryId));
  const retryable = new Map<string, RetryableFailure>();
  let accepted: Accepted[] = [];
  let permanent: Failed[] = [];
  const channel = messages[0]!.channel;
  const count = (outcome: string, n: number) =>
    n > 0 && ctx.metrics.deliveryOutcomes.inc({ channel, provider: provider.name, outcome }, n);
  const controller = new AbortController();
  let writing: Promise<void> = Promise.resolve();
  let writeQueued = false;
  /** Write what is waiting: now if no write runs, else right after it (one write queued at most). */
  const flush = (): Promise<void> => {
    if (writeQueued) return writing;
    writeQueued = true;
    writing = writing.then(async () => {
      writeQueued = false;
      const a = accepted;
      const p = permanent;
      accepted = [];
      permanent = [];
      count('accepted', a.filter((x) => !x.final).length);
      count('delivered', a.filter((x) => x.final).length);
      count('permanent', p.length);
      // Each kind on its own: a failure of one never skips the other, nor any later write.
      await writeOutcomes(ctx, 'accepted', a.length, () => recordAccepted(ctx.db, a));
      await writeOutcomes(ctx, 'permanent', p.length, () => recordPermanent(ctx.db, p));
    });
    return writing;
  };
  const report = (outcomes: SendOutcome[]) => {
    let written = false;
    for (const o of outcomes) {
      if (!unreported.delete(o.deliveryId)) continue;
      if (o.kind === 'retryable') breaker.failure(o.error);
      else breaker.success();
      // The circuit opened during this batch: start nothing more here; the rest fails over.
      if (breaker.state === 'open' && !controller.signal.aborted) controller.abort();
      if (o.kind === 'accepted' || o.kind === 'delivered') {
        written = true;
        accepted.push({
          id: o.deliveryId,
          provider: provider.name,
          providerMessageId: o.providerMessageId ?? null,
          sender: o.sender ?? null,
          final: o.kind === 'delivered',
        });
      } else if (o.kind === 'permanent') {
        written = true;
        permanent.push({ id: o.deliveryId, provider: provider.name, error: o.error, code: o.code ?? null });
      } else if (o.kind === 'retryable') {
        retryable.set(o.deliveryId, { error: o.error, code: o.code ?? null, retryAfterMs: o.retryAfterMs });
      }
    }
    if (written) void flush();
  };
  const stuckMs = ctx.profile.alerts.delivery.stuckAfterSeconds * 1000;
  let lastTouch = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - lastTouch > stuckMs / 3) {
      lastTouch = Date.now();
      // What waits for an answer or for the next provider is still this worker's.
      void touchSending(ctx.db, [...unreported, ...retryable.keys()]).catch(() => undefined);
    }
  }, touchEveryMs);
  try {
    await provider.send(messages, renderings, report, controller.signal);
  } catch (error) {
    ctx.log.warn({ err: error, provider: provider.name }, 'provider failed a whole batch');
    const message = error instanceof Error ? error.message : String(error);
    report(
      [...unreported].map((id) => ({
        deliveryId: id,
        kind: 'retryable' as const,
        error: `${provider.name}: ${message}`,
      })),
    );
  } finally {
    clearInterval(timer);
  }
  // A provider that returned without reporting some messages has failed them (retryable).
  report(
    [...unreported].map((id) => ({
      deliveryId: id,
      kind: 'retryable' as const,
      error: `${provider.name} reported no outcome`,
    })),
  );
  await flush();
  count('retryable', retryable.size);
  return retryable;
}

/**
 * Run one outcome write, trying again with doubling waits when it fails (a dropped connection, a
 * failover, a serialization error): skipping it would leave its deliveries in `sending` for the
 * sweeper, which sends them again. The writes are compare-and-set, so repeating one that did commit
 * before its answer was lost changes nothing. Never throws: after the last attempt the error is
 * logged and those deliveries are left to the sweeper (the one case that re-sends).
 */
async function writeOutcomes(
  ctx: Pick<AppContext, 'log'>,
  what: string,
  rows: number,
  write: () => Promise<void>,
): Promise<void> {
  if (rows === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= writeAttempts) {
        ctx.log.error({ err: error, what, rows, attempts: attempt }, 'could not record delivery outcomes');
        return;
      }
      ctx.log.warn({ err: error, what, rows, attempt }, 'recording delivery outcomes failed; trying again');
      await new Promise((r) => setTimeout(r, Math.min(5_000, 50 * 2 ** (attempt - 1))));
    }
  }
}

/** Messages no provider took: retry later with backoff, or give up past the maximum age. */
async function scheduleRetries(
  ctx: AppContext,
  batch: readonly ClaimedDelivery[],
  remaining: readonly OutgoingMessage[],
  lastFailure: Map<string, ProviderFailure>,
  circuitRetryAt: number | null,
): Promise<void> {
  const byId = new Map(batch.map((d) => [d.id, d]));
  // Wall time, like the database clock that stamped created_at.
  const now = Date.now();
  const settings = {
    ...ctx.profile.alerts.delivery,
    maxAgeMinutes: ctx.profile.alerts.deliveryMaxAgeMinutes,
  };
  const retries: Retry[] = [];
  const givenUp: Failed[] = [];
  for (const message of remaining) {
    const delivery = byId.get(message.deliveryId)!;
    const tried = lastFailure.get(message.deliveryId);
    const failure = tried ?? {
      provider: null,
      // Keep what actually went wrong: "circuit open" alone tells an operator nothing.
      error: `every provider of ${message.channel} is unavailable (circuit open)${rootCause(delivery.last_error)}`,
      code: 'circuit_open',
      retryAfterMs: circuitRetryAt === null ? undefined : Math.max(0, circuitRetryAt - now),
    };
    const decision = retryDecision(
      settings,
      delivery.attempts,
      now - delivery.created_at.getTime(),
      failure.retryAfterMs,
    );
    if (decision.kind === 'retry')
      retries.push({ id: message.deliveryId, ...failure, delayMs: decision.delayMs, notAttempted: !tried });
    else
      givenUp.push({
        id: message.deliveryId,
        provider: failure.provider,
        error: `${failure.error}; gave up: ${decision.reason}`,
        code: failure.code,
      });
  }
  await writeOutcomes(ctx, 'retries', retries.length, () => recordRetries(ctx.db, retries));
  await writeOutcomes(ctx, 'technical', givenUp.length, () => recordTechnical(ctx.db, givenUp));
}

/** The earliest real error behind a chain of "circuit open" retries, as a suffix. */
function rootCause(previous: string | null): string {
  if (!previous) return '';
  const marker = '; last error: ';
  const at = previous.indexOf(marker);
  return `${marker}${at >= 0 ? previous.slice(at + marker.length) : previous}`;
}
