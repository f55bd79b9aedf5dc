import { defineConfig } from 'vitest/config';

/**
 * `npm run chaos`: fault scenarios (workers killed mid-send, a provider outage) that take minutes
 * and print one JSON summary line each. They reuse the test database setup; files run one at a
 * time so each scenario has the machine's CPU to itself and its timings mean something.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 420_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
