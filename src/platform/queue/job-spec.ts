import type { z } from 'zod';

/** How a job is retried; pg-boss applies it. */
interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
}

/** What the queue needs to store a job: its queue name, payload schema, retry policy and time limit. */
export interface JobSpec<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  retry: RetryPolicy;
  /** Seconds a running job may take before pg-boss considers it lost and retries it. */
  expireInSeconds: number;
}
