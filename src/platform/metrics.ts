import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per process, with the process's default metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tocsin_' });
  const httpRequests = new Counter({
    name: 'tocsin_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'tocsin_http_request_duration_seconds',
    help: 'HTTP request duration by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobsCompleted = new Counter({
    name: 'tocsin_jobs_total',
    help: 'Jobs handled by this process, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const deliveryOutcomes = new Counter({
    name: 'tocsin_delivery_outcomes_total',
    help: 'Delivery attempts by channel, provider and outcome (accepted, delivered, retryable, permanent)',
    labelNames: ['channel', 'provider', 'outcome'] as const,
    registers: [registry],
  });
  const providerCircuitOpen = new Gauge({
    name: 'tocsin_provider_circuit_open',
    help: '1 while this process keeps a provider’s circuit open or half-open',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, jobsCompleted, deliveryOutcomes, providerCircuitOpen };
}

export type Metrics = ReturnType<typeof createMetrics>;
