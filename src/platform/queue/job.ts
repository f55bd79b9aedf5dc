import type { z } from 'zod';
import type { AppContext } from '../context.js';

/** How a job is retried; pg-boss applies it. */
export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
}

/** A typed job: its queue name, payload schema, retry policy and handler. */
export interface JobDefinition<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  retry: RetryPolicy;
  /** Seconds a running job may take before pg-boss considers it lost and retries it. */
  expireInSeconds: number;
  /** Cron (in the profile's time zone) for scheduled jobs; null: not scheduled in this configuration. */
  schedule?: (ctx: AppContext) => string | null;
  /** Reload state from ids in the payload; skip work that no longer applies. */
  handle(ctx: AppContext, payload: P): Promise<void>;
}

/** Define a job with its payload type inferred from the schema. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}
