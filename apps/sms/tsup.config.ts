import { defineConfig } from 'tsup';

// One self-contained ESM file. Native modules stay outside and are loaded lazily.
export default defineConfig({
  entry: { server: 'src/server-main.ts' },
  format: ['esm'],
  splitting: false,
  target: 'node20',
  platform: 'node',
  tsconfig: 'tsconfig.lib.json',
  esbuildOptions(options) {
    options.conditions = ['@alterego/source'];
  },
  // Everything is bundled except these: better-sqlite3 is native; @aws-sdk/client-s3 is only
  // required by unzipper's S3 reader, which alterego never calls.
  noExternal: [/^(?!(better-sqlite3|@aws-sdk\/client-s3)(\/|$))/],
  external: ['better-sqlite3', '@aws-sdk/client-s3'],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __alteregoCreateRequire } from 'node:module';\nconst require = __alteregoCreateRequire(import.meta.url);",
  },
  sourcemap: true,
  clean: true,
  dts: false,
});
