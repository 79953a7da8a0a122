import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestFor, SYSTEM_PROMPT, tempDir, writeDatasetFolder } from './__fixtures__/dataset.js';
import { ChatError } from './chat-error.js';
import { loadPersona, personaFromManifest } from './persona.js';

let folder: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  folder = await tempDir();
});
afterEach(async () => {
  await folder.remove();
});

describe('personaFromManifest', () => {
  it('serves with what the dataset trained on', () => {
    const manifest = manifestFor('', {
      name: 'Sam',
      sessionGapMinutes: 45,
      includeGroups: true,
      maxReplyChars: 300,
      model: 'gpt-4o-mini-2024-07-18',
    });
    expect(personaFromManifest(manifest)).toEqual({
      name: 'Sam',
      systemPrompt: SYSTEM_PROMPT,
      sessionGapMinutes: 45,
      labelSpeakers: true,
      maxReplyChars: 300,
      model: 'gpt-4o-mini-2024-07-18',
    });
  });

  it('calls the person "me" when the build named no one', () => {
    const persona = personaFromManifest(manifestFor('', { includeGroups: false }));
    expect(persona.name).toBe('me');
    expect(persona.labelSpeakers).toBe(false);
  });
});

describe('loadPersona', () => {
  it('reads DIR/manifest.json', async () => {
    await writeDatasetFolder(folder.dir, undefined, { name: 'Sam', sessionGapMinutes: 30 });
    expect(await loadPersona(folder.dir)).toMatchObject({ name: 'Sam', sessionGapMinutes: 30 });
  });

  it('says which file is missing and how to make it', async () => {
    const file = join(folder.dir, 'manifest.json');
    const error = await loadPersona(folder.dir).catch((caught: unknown) => caught);
    expect(ChatError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'config' });
    expect((error as Error).message).toBe(
      `${file}: no dataset manifest here; run \`alterego build -o ${folder.dir}\` first`,
    );
  });

  it('refuses a file that is not a dataset manifest, naming it', async () => {
    const file = join(folder.dir, 'manifest.json');
    await writeFile(file, '{"schema": "something/else"');
    await expect(loadPersona(folder.dir)).rejects.toThrow(
      `${file}: expected a JSON dataset manifest, found invalid JSON`,
    );
    await writeFile(file, '{"schema": "something/else"}');
    await expect(loadPersona(folder.dir)).rejects.toThrow(
      `${file}: not an alterego dataset manifest (expected "schema": "alterego.dataset-manifest/1")`,
    );
  });
});
