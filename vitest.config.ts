import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Fault scenarios take minutes: `npm run chaos` runs them (vitest.chaos.config.ts).
    exclude: [...configDefaults.exclude, 'test/chaos/**/*.chaos.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
