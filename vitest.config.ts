import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/nova-checks.ts'],
    testTimeout: 20_000,
  },
});
