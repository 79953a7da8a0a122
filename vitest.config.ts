import { defineConfig } from 'vitest/config';

// One root config: `npx vitest` from the repository root runs every package's tests.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
