import type { AppContext } from '../../platform/context.js';
import type { ProviderSettings } from '../../platform/delivery-settings.js';
import type { PagingServer } from '../alerts.profile.js';
import { outboxProvider } from './outbox-provider.js';
import { publicSiteProvider } from './providers/public-site-provider.js';
import { capProvider } from './providers/cap-provider.js';
import { smtpProvider } from './providers/smtp-provider.js';
import { facebookProvider, xProvider } from './providers/social-providers.js';
import { twilioProvider } from './providers/twilio-provider.js';
import { isPagingDelivery, pagingServerProvider, unknownPagingServers } from './providers/paging-provider.js';
import { webhookProvider } from './providers/webhook-provider.js';
import { deliveryChannels, type DeliveryChannel, type DeliveryProvider } from './provider.js';

/**
 * The providers of each channel in failover order, built once per process from the configuration.
 * A channel with no configured provider goes to the outbox. The outbox is never a failover target
 * of a real provider: an outage must show as failures, not as messages quietly kept on the machine.
 */
export interface ProviderRegistry {
  providersFor(channel: DeliveryChannel): readonly DeliveryProvider[];
  all(): readonly DeliveryProvider[];
  close(): Promise<void>;
}

const registries = new WeakMap<AppContext, ProviderRegistry>();

/** The process's registry for this context (built on first use). */
export function providerRegistry(ctx: AppContext): ProviderRegistry {
  let registry = registries.get(ctx);
  if (!registry) {
    registry = buildRegistry(ctx, configuredProviders(ctx));
    registries.set(ctx, registry);
  }
  return registry;
}

/** Replace the registry of a context (tests inject providers that fail on purpose). */
export function setProviderRegistry(
  ctx: AppContext,
  providers: readonly DeliveryProvider[],
): ProviderRegistry {
  const registry = buildRegistry(ctx, providers);
  registries.set(ctx, registry);
  return registry;
}

/**
 * The real providers the configuration names (ctx.config.delivery), in its order: per channel,
 * that order is the failover order.
 */
function configuredProviders(ctx: AppContext): DeliveryProvider[] {
  return ctx.config.delivery.providers.map((settings) => providerFor(ctx, settings));
}

function providerFor(ctx: AppContext, settings: ProviderSettings): DeliveryProvider {
  switch (settings.type) {
    case 'twilio':
      return twilioProvider(ctx, settings);
    case 'smtp':
      return smtpProvider(ctx, settings);
    case 'webhook':
      return webhookProvider(settings);
    case 'cap':
      return capProvider(settings);
    case 'x':
      return xProvider(settings);
    case 'facebook':
      return facebookProvider(settings);
  }
}

/**
 * Office phones: each paging server takes its own deliveries, then the voice providers (or those
 * configured for office_phones itself) call the numbers, in their failover order, with their
 * circuits (a provider's breaker goes by its name); a paging delivery no server takes fails.
 */
function officePhoneProviders(
  byChannel: Map<DeliveryChannel, DeliveryProvider[]>,
  servers: readonly PagingServer[],
): DeliveryProvider[] {
  const callers = (byChannel.get('office_phones') ?? byChannel.get('voice') ?? []).map(
    (p): DeliveryProvider => ({
      name: p.name,
      channels: p.channels,
      accepts: (m) => !isPagingDelivery(m) && (p.accepts?.(m) ?? true),
      send: (...args) => p.send(...args),
    }),
  );
  return [...servers.map(pagingServerProvider), unknownPagingServers(servers), ...callers];
}

function buildRegistry(ctx: AppContext, providers: readonly DeliveryProvider[]): ProviderRegistry {
  const byChannel = new Map<DeliveryChannel, DeliveryProvider[]>();
  for (const provider of providers) {
    for (const channel of provider.channels)
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), provider]);
  }
  // The public page is Tocsin's own: it is published from the database, never kept in the outbox.
  if (!byChannel.has('public_page'))
    byChannel.set('public_page', [publicSiteProvider(ctx.config.publicSite.url)]);
  const unserved = deliveryChannels.filter((c) => !byChannel.has(c) && c !== 'office_phones');
  const outbox = outboxProvider(ctx.db, unserved);
  for (const channel of unserved) byChannel.set(channel, [outbox]);
  const all = [...new Set([...byChannel.values()].flat())];
  const office = officePhoneProviders(byChannel, ctx.profile.alerts.pagingServers);
  byChannel.set('office_phones', office);
  // The paging servers' HTTP pools close with the rest (the callers are wrappers of providers in `all`).
  all.push(...office.filter((p) => p.close));
  return {
    providersFor: (channel) => byChannel.get(channel) ?? [],
    all: () => all,
    async close() {
      await Promise.allSettled(all.map((p) => p.close?.()));
    },
  };
}
