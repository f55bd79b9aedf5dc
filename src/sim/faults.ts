import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** What the simulator plays: one provider per channel. */
export const channels = ['sms', 'voice', 'email', 'webhook', 'cap', 'x', 'facebook'] as const;
export type Channel = (typeof channels)[number];

const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const Millis = Type.Integer({ minimum: 0, maximum: 3_600_000 });

const OutageInput = Type.Object(
  {
    startsInMs: Type.Optional(Millis),
    durationMs: Type.Integer({ minimum: 1, maximum: 86_400_000 }),
    status: Type.Optional(Type.Union([Type.Literal(500), Type.Literal(503)])),
  },
  { additionalProperties: false },
);

/** Faults of one channel. Rates are fractions of requests (0–1), drawn independently per request. */
export const ChannelFaultsInput = Type.Object(
  {
    latencyMs: Type.Optional(Millis),
    jitterMs: Type.Optional(Millis),
    errorRate: Type.Optional(Fraction),
    errorStatus: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    timeoutRate: Type.Optional(Fraction),
    timeoutMs: Type.Optional(Millis),
    timeoutAfterAccept: Type.Optional(Type.Boolean()),
    outages: Type.Optional(Type.Array(OutageInput, { maxItems: 100 })),
    ratePerSecond: Type.Optional(Type.Number({ minimum: 0 })),
    failedRate: Type.Optional(Fraction),
    undeliveredRate: Type.Optional(Fraction),
    busyRate: Type.Optional(Fraction),
    noAnswerRate: Type.Optional(Fraction),
    duplicateCallbackRate: Type.Optional(Fraction),
  },
  { additionalProperties: false },
);
export type ChannelFaultsInput = Static<typeof ChannelFaultsInput>;

const RateLimitsInput = Type.Object(
  {
    smsSegmentsPerSecond: Type.Optional(Type.Number({ minimum: 0 })),
    senderRates: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
    callsPerSecond: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** The body of POST /control/faults and the `faults` start option: `all` applies under each channel's own. */
export const FaultsInput = Type.Object(
  {
    all: Type.Optional(ChannelFaultsInput),
    ...Object.fromEntries(channels.map((c) => [c, Type.Optional(ChannelFaultsInput)])),
    rateLimits: Type.Optional(RateLimitsInput),
  },
  { additionalProperties: false },
);
export type FaultsInput = { [K in Channel | 'all']?: ChannelFaultsInput } & {
  rateLimits?: Static<typeof RateLimitsInput>;
};

const checkFaults = Compile(FaultsInput);

/** The problems with a faults object, one line each; empty when it is valid. */
export function faultsProblems(value: unknown): string[] {
  if (checkFaults.Check(value)) return [];
  return [...checkFaults.Errors(value)].map((e) => `${e.instancePath || '(faults)'}: ${e.message}`);
}

/** An outage window in epoch milliseconds. */
interface Outage {
  from: number;
  until: number;
  status: 500 | 503;
}

/** The faults in force on a channel (its own settings over `all`), outages made absolute. */
export type ChannelFaults = Omit<ChannelFaultsInput, 'outages'> & { outages?: Outage[] };

/** What happens to one request before the provider logic sees it. */
export type FaultDecision =
  | { kind: 'pass' }
  | { kind: 'outage'; status: 500 | 503 }
  | { kind: 'error'; status: number }
  | { kind: 'timeout'; afterMs: number; afterAccept: boolean };

/** Draw the fault for one request. Outages win, then timeouts, then errors. */
export function decideFault(
  f: ChannelFaults,
  now: number,
  random: () => number = Math.random,
): FaultDecision {
  const outage = f.outages?.find((o) => o.from <= now && now < o.until);
  if (outage) return { kind: 'outage', status: outage.status };
  if (f.timeoutRate && random() < f.timeoutRate)
    return { kind: 'timeout', afterMs: f.timeoutMs ?? 0, afterAccept: f.timeoutAfterAccept ?? false };
  if (f.errorRate && random() < f.errorRate) return { kind: 'error', status: f.errorStatus ?? 500 };
  return { kind: 'pass' };
}

/** The added delay for one request: fixed latency plus uniform jitter. */
export function latencyOf(f: ChannelFaults, random: () => number = Math.random): number {
  return (f.latencyMs ?? 0) + (f.jitterMs ? Math.floor(random() * f.jitterMs) : 0);
}

function resolve(input: ChannelFaultsInput, now: number): ChannelFaults {
  const { outages, ...rest } = input;
  if (!outages) return rest;
  return {
    ...rest,
    outages: outages.map((o) => {
      const from = now + (o.startsInMs ?? 0);
      return { from, until: from + o.durationMs, status: o.status ?? 503 };
    }),
  };
}

/** The fault settings of a running simulator: set at start, changed at run time, restorable. */
export class FaultBook {
  private settings = new Map<Channel | 'all', ChannelFaults>();
  private effectiveCache = new Map<Channel, ChannelFaults>();
  private readonly initial: Map<Channel | 'all', ChannelFaults>;

  constructor(input: FaultsInput, now: number) {
    this.apply(input, now);
    this.initial = new Map(this.settings);
  }

  /** Merge new settings field by field (an `outages` list replaces the previous one). */
  apply(input: FaultsInput, now: number): void {
    for (const key of ['all', ...channels] as const) {
      const given = input[key];
      if (!given) continue;
      this.settings.set(key, { ...this.settings.get(key), ...resolve(given, now) });
    }
    this.effectiveCache.clear();
  }

  /** Back to the settings given at start. */
  restore(): void {
    this.settings = new Map(this.initial);
    this.effectiveCache.clear();
  }

  /** The faults in force on a channel. */
  for(channel: Channel): ChannelFaults {
    let effective = this.effectiveCache.get(channel);
    if (!effective) {
      effective = { ...this.settings.get('all'), ...this.settings.get(channel) };
      this.effectiveCache.set(channel, effective);
    }
    return effective;
  }

  /** The settings as GET /control/faults shows them, outage windows in ISO time. */
  view(): Record<string, unknown> {
    const show = (f: ChannelFaults) => ({
      ...f,
      outages: f.outages?.map((o) => ({
        from: new Date(o.from).toISOString(),
        until: new Date(o.until).toISOString(),
        status: o.status,
      })),
    });
    return Object.fromEntries([...this.settings].map(([key, f]) => [key, show(f)]));
  }
}
