import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@alterego/source'] },
  ssr: { resolve: { conditions: ['@alterego/source'] } },
  test: {
    name: '@alterego/sms',
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
