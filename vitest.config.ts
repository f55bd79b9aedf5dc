import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // web/src: the console's pure logic (no DOM), such as the campus map's geometry.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Fault scenarios take minutes: `npm run chaos` runs them (vitest.chaos.config.ts).
    exclude: [...configDefaults.exclude, 'test/chaos/**/*.chaos.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
