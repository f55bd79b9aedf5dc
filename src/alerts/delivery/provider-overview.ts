import type { AppContext } from '../../platform/context.js';
import type { PagingServer } from '../alerts.profile.js';
import { targetOf } from './providers/public-posts.js';
import type { ProviderSettings } from '../../platform/delivery-settings.js';
import { describeProvider, redactSecrets, secretsOf, type ProviderDescription } from './provider-details.js';
import { listProviderActivity, listProviderHealth } from './provider-health.queries.js';
import { providerRegistry } from './provider-registry.js';
import { deliveryChannels, type DeliveryProvider } from './provider.js';
import type { ProviderActivityView, ProviderHealthView, ProvidersOverview } from './providers.schema.js';

type HealthRow = Awaited<ReturnType<typeof listProviderHealth>>[number];
type ActivityRow = Awaited<ReturnType<typeof listProviderActivity>>[number];

/** What the providers screen says about its figures (breakers live in each worker process). */
const healthExplanation =
  'Each worker process keeps its own circuit breaker per provider and writes the shared row shown here ' +
  'only when its circuit changes: it opens after the configured number of retryable failures in a row ' +
  '(that worker sends the channel to the next provider), lets one probe batch through after the open ' +
  'time (half-open), and closes on a success. With several workers, one may be open while another ' +
  'is still closed; the row is the latest change any of them made, and its failure count is that ' +
  'worker’s count at the change. No row: the circuit never opened. A worker that restarts starts ' +
  'closed and writes nothing until its circuit changes, so an "open" row can outlive an outage until ' +
  'the next probe. Activity is summed over every worker, each adding its counts at most every 5 seconds ' +
  'while it sends: the last answer that went through says whether the provider works now. Per-alert ' +
  'counts by provider and sender are on each alert’s dashboard.';

function builtIn(
  provider: DeliveryProvider,
  publicSiteUrl: string,
  pagingServers: readonly PagingServer[],
): ProviderDescription & { type: string } {
  const paging = pagingServers.find((s) => provider.name === `paging-${s.name}`);
  if (paging)
    return {
      type: 'paging',
      description: 'A paging server of the profile (alerts.pagingServers), on the office_phones channel',
      details: [
        { label: 'Format', value: paging.format === 'cap' ? 'CAP 1.2' : 'signed JSON webhook' },
        { label: 'URL', value: targetOf(paging.url) },
      ],
      senders: [],
    };
  if (provider.name === 'outbox')
    return {
      type: 'outbox',
      description: 'The outbox: messages are stored and listed, nothing leaves the machine',
      details: [{ label: 'Used because', value: 'no provider is configured for these channels' }],
      senders: [],
    };
  if (provider.name === 'public-site')
    return {
      type: 'public_site',
      description: 'The public emergency page, published from the database',
      details: [{ label: 'Page', value: publicSiteUrl }],
      senders: [],
    };
  return { type: 'other', description: 'A provider built into this process', details: [], senders: [] };
}

function healthView(
  row: HealthRow | undefined,
  openSeconds: number,
  secrets: string[],
): ProviderHealthView | null {
  if (!row) return null;
  const retryAt =
    row.circuit === 'open' && row.opened_at ? new Date(row.opened_at.getTime() + openSeconds * 1000) : null;
  return {
    circuit: row.circuit,
    consecutiveFailures: row.consecutive_failures,
    lastError: redactSecrets(row.last_error, secrets),
    openedAt: row.opened_at?.toISOString() ?? null,
    retryAt: retryAt?.toISOString() ?? null,
    changedAt: row.updated_at.toISOString(),
  };
}

function activityView(row: ActivityRow | undefined, secrets: string[]): ProviderActivityView | null {
  if (!row) return null;
  return {
    successes: Number(row.successes),
    failures: Number(row.failures),
    lastSuccessAt: row.last_success_at?.toISOString() ?? null,
    lastFailureAt: row.last_failure_at?.toISOString() ?? null,
    lastFailure: redactSecrets(row.last_failure, secrets),
    since: row.since.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Every channel's providers in this process's failover order, each provider's configuration
 * without secrets, its senders and its circuit from provider_health.
 */
export async function providerOverview(ctx: AppContext): Promise<ProvidersOverview> {
  const registry = providerRegistry(ctx);
  const configured = new Map<string, ProviderSettings>(ctx.config.delivery.providers.map((s) => [s.name, s]));
  const secrets = ctx.config.delivery.providers.flatMap(secretsOf);
  const health = new Map((await listProviderHealth(ctx.db)).map((r) => [r.provider, r]));
  const activity = new Map((await listProviderActivity(ctx.db)).map((r) => [r.provider, r]));
  const { circuitFailureThreshold, circuitOpenSeconds } = ctx.profile.alerts.delivery;
  return {
    channels: deliveryChannels.map((channel) => ({
      channel,
      providers: registry.providersFor(channel).map((p) => p.name),
    })),
    providers: registry.all().map((provider) => {
      const settings = configured.get(provider.name);
      const description = settings
        ? { type: settings.type, ...describeProvider(settings) }
        : builtIn(provider, ctx.config.publicSite.url, ctx.profile.alerts.pagingServers);
      return {
        name: provider.name,
        ...description,
        channels: [...provider.channels],
        health: healthView(health.get(provider.name), circuitOpenSeconds, secrets),
        activity: activityView(activity.get(provider.name), secrets),
      };
    }),
    circuit: { failureThreshold: circuitFailureThreshold, openSeconds: circuitOpenSeconds },
    explanation: healthExplanation,
    checkedAt: ctx.clock.now().toISOString(),
  };
}
