import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchema } from './config.js';

const SCHEMA = new URL(`../${CONFIG_SCHEMA_FILE}`, import.meta.url);

describe(CONFIG_SCHEMA_FILE, () => {
  it('is the JSON Schema generated from ConfigSchema (ALTEREGO_WRITE_SCHEMA=1 rewrites it)', async () => {
    const generated = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (process.env.ALTEREGO_WRITE_SCHEMA === '1') await writeFile(SCHEMA, generated);
    const stored = await readFile(SCHEMA, 'utf8');
    // Compared as data: prettier may lay the file out differently.
    expect(
      JSON.parse(stored),
      `${CONFIG_SCHEMA_FILE} is out of date: run ALTEREGO_WRITE_SCHEMA=1 npx vitest run src/config-schema.test.ts in apps/cli`,
    ).toEqual(JSON.parse(generated));
    const schema = JSON.parse(stored) as {
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual([
      '$schema',
      'chat',
      'contacts',
      'dataset',
      'dayFirst',
      'inputs',
      'me',
      'timeZone',
    ]);
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description, `${key} has a description`).toBeTruthy();
    }
    expect(schema.additionalProperties).toBe(false);
  });

  it('ships in the package', async () => {
    const packageJson = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { files: string[] };
    expect(packageJson.files).toContain(CONFIG_SCHEMA_FILE);
  });
});
