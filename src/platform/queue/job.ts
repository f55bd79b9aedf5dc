import type { AppContext } from '../context.js';
import type { JobSpec } from './job-spec.js';

/** A typed job: its queue name, payload schema, retry policy and handler. */
export interface JobDefinition<P = unknown> extends JobSpec<P> {
  /** Cron (in the profile's time zone) for scheduled jobs; null: not scheduled in this configuration. */
  schedule?: (ctx: AppContext) => string | null;
  /** Reload state from ids in the payload; skip work that no longer applies. */
  handle(ctx: AppContext, payload: P): Promise<void>;
}

/** Define a job with its payload type inferred from the schema. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}
