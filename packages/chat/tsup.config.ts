import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'eval/index': 'src/eval/index.ts' },
  format: ['esm'],
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
});
