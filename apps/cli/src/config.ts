import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { formatZodError, ValidationError } from '@alterego/core';
import { z } from 'zod';

/** The file `alterego` reads its settings from, in the current folder unless `--config` says otherwise. */
export const CONFIG_FILE = 'alterego.config.json';

/** The JSON Schema of the config file, shipped in the package beside dist/. */
export const CONFIG_SCHEMA_FILE = 'alterego.config.schema.json';

export const ConfigSchema = z
  .object({
    $schema: z
      .string()
      .optional()
      .describe('The JSON Schema of this file, for editors: alterego.config.schema.json'),
    me: z
      .array(z.string().min(1))
      .optional()
      .describe('Your names, numbers and handles in your exports'),
    timeZone: z
      .string()
      .min(1)
      .optional()
      .describe('IANA zone for exports without zones (WhatsApp)'),
    dayFirst: z.boolean().optional().describe('Force day/month order for WhatsApp dates'),
    contacts: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A vCard (.vcf) or CSV contacts file that names phone numbers and e-mail addresses (iMessage)',
      ),
    inputs: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Export files and folders that convert, build, stats and report read when none are given',
      ),
    dataset: z
      .string()
      .min(1)
      .optional()
      .describe('The dataset folder: where build writes, and what chat and eval read'),
    chat: z
      .object({
        backend: z
          .enum(['retrieval', 'fewshot', 'finetuned'])
          .optional()
          .describe('Who answers: retrieval (offline, default), fewshot or finetuned'),
        model: z
          .string()
          .min(1)
          .optional()
          .describe('The model of the fewshot or finetuned backend'),
        baseUrl: z
          .string()
          .url()
          .optional()
          .describe(
            'An OpenAI-compatible server (Ollama, vLLM, llama.cpp, mlx_lm.server); default OpenAI',
          ),
        fallback: z
          .enum(['retrieval', 'fewshot', 'finetuned'])
          .optional()
          .describe('The backend that answers when the first one fails'),
        timeoutMs: z.number().int().positive().optional().describe('Most time one reply may take'),
      })
      .strict()
      .optional()
      .describe('Settings of alterego chat and eval'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

/** The config file's JSON Schema (draft 2020-12), generated from ConfigSchema. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigSchema, { target: 'draft-2020-12', io: 'input' });
  return {
    $schema: generated.$schema,
    $id: `https://unpkg.com/@alterego/cli/${CONFIG_SCHEMA_FILE}`,
    title: 'alterego settings',
    description: `The settings file of the alterego command line (${CONFIG_FILE}). Flags and ALTEREGO_* environment variables override it.`,
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
  };
}

/**
 * Reads the config file. A missing default file is an empty config; a missing file the user
 * named, invalid JSON or an unknown setting is a ValidationError naming the file.
 */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<Config> {
  const path = explicitPath
    ? isAbsolute(explicitPath)
      ? explicitPath
      : join(cwd, explicitPath)
    : join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicitPath) return {};
    const reason =
      code === 'ENOENT'
        ? 'no such file; check the --config path'
        : `cannot read the config file (${code ?? cause})`;
    throw new ValidationError(`${path}: ${reason}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(`${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const result = ConfigSchema.safeParse(json);
  if (!result.success) {
    throw new ValidationError(`${path}: ${formatZodError(result.error)}`, { cause: result.error });
  }
  return result.data;
}

/** A list from a comma-separated environment variable. */
export function envList(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}
