import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@alterego/source'] },
  ssr: { resolve: { conditions: ['@alterego/source'] } },
  test: {
    name: '@alterego/core',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
