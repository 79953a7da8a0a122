import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_FILES, MANIFEST_SCHEMA_ID, type DatasetManifest } from '@alterego/dataset';
import { ChatError } from './chat-error.js';
import type { Persona } from './types.js';

/** The training session gap when a manifest does not record one, in minutes. */
const DEFAULT_GAP_MINUTES = 60;
const DEFAULT_MAX_REPLY_CHARS = 2000;

/**
 * The persona a dataset was built for: the same system prompt, session gap, speaker labels and
 * reply length as its training examples.
 */
export function personaFromManifest(manifest: DatasetManifest): Persona {
  const options = manifest.options;
  return {
    // Manifests written before `name` was recorded fall back to the option, then to 'me'.
    name: (manifest as Partial<DatasetManifest>).name ?? options.name ?? 'me',
    systemPrompt: manifest.systemPrompt,
    sessionGapMinutes: options.sessionGapMinutes,
    labelSpeakers: options.includeGroups,
    maxReplyChars: options.maxReplyChars,
    model: options.model,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks `DIR/manifest.json`; a ChatError naming the file when it is missing or bad. */
export async function readManifest(datasetDir: string): Promise<DatasetManifest> {
  const file = join(datasetDir, DATASET_FILES.manifest);
  const hint = `run \`alterego build -o ${datasetDir}\` first`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ChatError(
      missing
        ? `${file}: no dataset manifest here; ${hint}`
        : `${file}: cannot read the dataset manifest (${(error as Error).message})`,
      { kind: 'config', cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ChatError(`${file}: expected a JSON dataset manifest, found invalid JSON; ${hint}`, {
      kind: 'config',
      cause: error,
    });
  }
  const problem = manifestProblem(value);
  if (problem !== undefined) {
    throw new ChatError(`${file}: not an alterego dataset manifest (${problem}); ${hint}`, {
      kind: 'config',
    });
  }
  return value as DatasetManifest;
}

/** What is wrong with a parsed manifest, if anything (only the fields serving reads). */
function manifestProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'expected a JSON object';
  if (value.schema !== MANIFEST_SCHEMA_ID) return `expected "schema": "${MANIFEST_SCHEMA_ID}"`;
  if (typeof value.systemPrompt !== 'string') return 'expected a string "systemPrompt"';
  const options = value.options;
  if (!isRecord(options)) return 'expected an "options" object';
  for (const key of ['sessionGapMinutes', 'maxReplyChars'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'number')
      return `expected a number "options.${key}"`;
  }
  if (options.name !== undefined && typeof options.name !== 'string')
    return 'expected a string "options.name"';
  const files = value.files;
  if (!isRecord(files) || !isRecord(files.train) || typeof files.train.sha256 !== 'string')
    return 'expected "files.train.sha256"';
  // Older manifests may lack an option; serving falls back to the defaults training used.
  options.sessionGapMinutes ??= DEFAULT_GAP_MINUTES;
  options.maxReplyChars ??= DEFAULT_MAX_REPLY_CHARS;
  options.includeGroups = options.includeGroups === true;
  if (typeof options.model !== 'string') options.model = '';
  return undefined;
}

/** The persona of the dataset in `datasetDir`, from its `manifest.json`. */
export async function loadPersona(datasetDir: string): Promise<Persona> {
  return personaFromManifest(await readManifest(datasetDir));
}
