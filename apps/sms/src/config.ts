import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AlteregoError } from '@alterego/core';
import { z } from 'zod';

/** The file `alterego-sms` reads, in the current folder unless `--config` names another. */
export const SMS_CONFIG_FILE = 'alterego-sms.config.json';

const E164 = /^\+[1-9]\d{6,14}$/;
const e164 = z.string().regex(E164, { message: 'expected an E.164 number such as +15551234567' });
const BACKENDS = ['retrieval', 'fewshot', 'finetuned'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const httpUrl = z
  .string()
  .url()
  .refine((url) => /^https?:\/\//i.test(url), { message: 'expected an http(s) URL' });

const RouteSchema = z
  .object({
    dataset: z.string().min(1).optional().describe('The dataset folder `alterego build` wrote'),
    backend: z.enum(BACKENDS).optional().describe('Who answers (default retrieval)'),
    model: z.string().min(1).optional().describe('The model of a fewshot or finetuned backend'),
    baseUrl: httpUrl.optional().describe('An OpenAI-compatible server; default OpenAI'),
    temperature: z.number().min(0).max(2).optional(),
    fallback: z.enum(BACKENDS).optional().describe('The backend that answers when the first fails'),
    fallbackModel: z.string().min(1).optional().describe('The fallback model (default `model`)'),
  })
  .strict();

const FileSchema = z
  .object({
    $schema: z.string().optional(),
    publicUrl: httpUrl.optional().describe('The base URL Twilio calls (the tunnel or proxy URL)'),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]*$/, { message: 'expected a path such as /sms' })
      .optional(),
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().min(1).optional(),
    trustProxy: z.boolean().optional(),
    allow: z.array(e164).optional().describe('The numbers that may text the alter ego'),
    routes: z.record(z.string(), RouteSchema).optional(),
    memoryFile: z.string().min(1).optional(),
    replyDeadlineMs: z.number().int().min(100).max(14_000).optional(),
    maxSegments: z.number().int().min(1).max(10).optional(),
    limits: z
      .object({
        maxChars: z.number().int().positive().optional(),
        maxBubbles: z.number().int().positive().optional(),
        timeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    rateLimit: z
      .object({
        burst: z.number().int().min(1).optional(),
        perMinute: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    bodyLimitBytes: z.number().int().min(1024).max(1_048_576).optional(),
    twilio: z
      .object({
        apiBase: httpUrl.optional(),
        accountSid: z
          .string()
          .regex(/^AC[0-9a-fA-F]{32}$/, { message: 'expected AC followed by 32 hex digits' })
          .optional(),
      })
      .strict()
      .optional(),
    logLevel: z.enum(LOG_LEVELS).optional(),
    logMessages: z.boolean().optional(),
    logRawNumbers: z.boolean().optional(),
  })
  .strict();

/** What the config file holds (every key optional; see the README for defaults). */
export type SmsConfigFile = z.infer<typeof FileSchema>;
export type SmsBackendName = (typeof BACKENDS)[number];
export type SmsLogLevel = (typeof LOG_LEVELS)[number];

/** Who answers the numbers a route matches. */
export interface SmsRoute {
  /** Absolute path of the dataset folder. */
  dataset: string;
  backend: SmsBackendName;
  model?: string;
  baseUrl?: string;
  temperature?: number;
  fallback?: SmsBackendName;
  fallbackModel?: string;
}

/** The server's settings, validated and with defaults filled in. */
export interface SmsConfig {
  /** The base URL Twilio calls; the webhook is `publicUrl + path`. */
  publicUrl?: string;
  path: string;
  port: number;
  host: string;
  /** Rebuild the signed URL from X-Forwarded-Proto and X-Forwarded-Host. */
  trustProxy: boolean;
  allow: string[];
  /** By sender number, `*` for everyone else on the allow-list. */
  routes: Record<string, SmsRoute>;
  /** SQLite file of the conversation memory and the opt-out list (`:memory:` for none). */
  memoryFile: string;
  replyDeadlineMs: number;
  maxSegments: number;
  limits: { maxChars?: number; maxBubbles?: number; timeoutMs?: number };
  rateLimit: { burst: number; perMinute: number };
  bodyLimitBytes: number;
  twilio: { apiBase: string; accountSid?: string; authToken: string };
  openaiApiKey?: string;
  logLevel: SmsLogLevel;
  logMessages: boolean;
  logRawNumbers: boolean;
}

/** Where the settings are read from, for messages and relative paths. */
export interface SmsConfigSource {
  env?: NodeJS.ProcessEnv;
  /** Relative paths (datasets, memory file) are resolved against it (default: the cwd). */
  baseDir?: string;
  /** The file the settings came from, named in errors. */
  file?: string;
}

/** Exit code of a missing secret or setting, and of a config that cannot be used as written. */
export const EXIT_MISSING_CONFIG = 4;
export const EXIT_BAD_CONFIG = 2;

/** Everything wrong with the settings, in one message; `exitCode` is 4 when all is missing, else 2. */
export class SmsConfigError extends AlteregoError {
  constructor(
    readonly problems: readonly string[],
    readonly exitCode: number,
    file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${problems.join('; ')}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'SmsConfigError';
  }
}

const SECRET_KEYS =
  /^(authToken|auth_token|apiKey|api_key|TWILIO_AUTH_TOKEN|OPENAI_API_KEY|password|secret)$/i;

function envNumber(env: NodeJS.ProcessEnv, name: string, problems: string[]): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) {
    problems.push(`${name}: expected a whole number, got "${value}"`);
    return undefined;
  }
  return number;
}

function envBoolean(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  problems.push(`${name}: expected true or false, got "${env[name]}"`);
  return undefined;
}

function issuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part))
      text += text ? `.${part}` : part;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}

/**
 * Validates settings from a config file's JSON and the environment (which wins), fills in
 * defaults and resolves paths. Throws one SmsConfigError that lists every problem.
 */
export function parseSmsConfig(input: unknown, source: SmsConfigSource = {}): SmsConfig {
  const env = source.env ?? {};
  const baseDir = source.baseDir ?? process.cwd();
  const bad: string[] = [];
  const missing: string[] = [];

  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    for (const key of Object.keys(input)) {
      if (SECRET_KEYS.test(key))
        bad.push(
          `${key}: secrets do not belong in the config file; set TWILIO_AUTH_TOKEN and OPENAI_API_KEY in the environment`,
        );
    }
    if (bad.length > 0)
      input = Object.fromEntries(Object.entries(input).filter(([key]) => !SECRET_KEYS.test(key)));
  }
  // Each setting is checked on its own, so that one wrong value does not hide the others.
  const file: Record<string, unknown> = {};
  let wellFormed = true;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    bad.push('expected a JSON object of settings');
    wellFormed = false;
  } else {
    const shape = FileSchema.shape as Record<string, z.ZodType>;
    for (const [key, value] of Object.entries(input)) {
      if (key === 'routes' && typeof value === 'object' && value !== null)
        for (const route of Object.keys(value))
          if (route !== '*' && !E164.test(route))
            bad.push(
              `routes[${JSON.stringify(route)}]: expected "*" or an E.164 number such as +15551234567 as the key`,
            );
      const schema = shape[key];
      if (!schema) {
        bad.push(`${key}: not a setting (see the README for the settings)`);
        continue;
      }
      const result = schema.safeParse(value);
      if (result.success) {
        file[key] = result.data;
        continue;
      }
      wellFormed = false;
      for (const issue of result.error.issues)
        bad.push(`${issuePath([key, ...issue.path])}: ${issue.message}`);
    }
  }
  const settings = file as SmsConfigFile;
  const given = (key: string) => typeof input === 'object' && input !== null && key in input;
  const port = envNumber(env, 'ALTEREGO_SMS_PORT', bad) ?? settings.port ?? 8787;
  if (port < 0 || port > 65535) bad.push(`ALTEREGO_SMS_PORT: expected 0 to 65535, got ${port}`);
  const trustProxy =
    envBoolean(env, 'ALTEREGO_SMS_TRUST_PROXY', bad) ?? settings.trustProxy ?? false;
  const logMessages =
    envBoolean(env, 'ALTEREGO_SMS_LOG_MESSAGES', bad) ?? settings.logMessages ?? false;
  const envPublicUrl = env.ALTEREGO_SMS_PUBLIC_URL || undefined;
  if (envPublicUrl !== undefined && !httpUrl.safeParse(envPublicUrl).success)
    bad.push(`ALTEREGO_SMS_PUBLIC_URL: expected an http(s) URL, got "${envPublicUrl}"`);
  const publicUrl = (envPublicUrl ?? settings.publicUrl)?.replace(/\/+$/, '');
  const path = settings.path ?? '/sms';
  if (publicUrl === undefined && !trustProxy && !given('publicUrl'))
    missing.push(
      'publicUrl is missing: add "publicUrl" (the URL Twilio calls, without the path) or set ALTEREGO_SMS_PUBLIC_URL',
    );
  const envLogLevel = env.ALTEREGO_SMS_LOG_LEVEL || undefined;
  let logLevel: SmsLogLevel = settings.logLevel ?? 'info';
  if (envLogLevel !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(envLogLevel))
      logLevel = envLogLevel as SmsLogLevel;
    else bad.push(`ALTEREGO_SMS_LOG_LEVEL: expected one of ${LOG_LEVELS.join('|')}`);
  }
  const envApiBase = env.ALTEREGO_SMS_TWILIO_API_BASE || undefined;
  if (envApiBase !== undefined && !httpUrl.safeParse(envApiBase).success)
    bad.push(`ALTEREGO_SMS_TWILIO_API_BASE: expected an http(s) URL, got "${envApiBase}"`);

  let allow = settings.allow;
  if (env.ALTEREGO_SMS_ALLOW) {
    allow = env.ALTEREGO_SMS_ALLOW.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const number of allow)
      if (!E164.test(number))
        bad.push(`ALTEREGO_SMS_ALLOW: "${number}" is not an E.164 number such as +15551234567`);
  }
  const allowInvalid = given('allow') && settings.allow === undefined;
  if ((!allow || allow.length === 0) && !allowInvalid)
    missing.push(
      'allow is missing: list the numbers that may text (E.164, e.g. ["+15551234567"]) or set ALTEREGO_SMS_ALLOW',
    );

  const authToken = env.TWILIO_AUTH_TOKEN ?? '';
  if (authToken === '')
    missing.push('TWILIO_AUTH_TOKEN is not set: export your Twilio auth token in the environment');
  const accountSid = env.TWILIO_ACCOUNT_SID || settings.twilio?.accountSid;
  if (env.TWILIO_ACCOUNT_SID && !/^AC[0-9a-fA-F]{32}$/.test(env.TWILIO_ACCOUNT_SID))
    bad.push('TWILIO_ACCOUNT_SID: expected AC followed by 32 hex digits');
  const openaiApiKey = env.OPENAI_API_KEY || undefined;

  const routes: Record<string, SmsRoute> = {};
  if (!settings.routes || Object.keys(settings.routes).length === 0) {
    if (wellFormed && !given('routes'))
      missing.push(
        'routes is missing: add "routes": {"*": {"dataset": "DIR", "backend": "retrieval"}}',
      );
  } else {
    for (const [key, route] of Object.entries(settings.routes)) {
      const where = `routes[${JSON.stringify(key)}]`;
      if (key !== '*' && !E164.test(key)) {
        bad.push(`${where}: expected "*" or an E.164 number such as +15551234567 as the key`);
        continue;
      }
      if (!route.dataset) {
        missing.push(`${where}.dataset is missing: the folder \`alterego build\` wrote`);
        continue;
      }
      const backend = route.backend ?? 'retrieval';
      for (const [name, model] of [
        [backend, route.model],
        ...(route.fallback ? [[route.fallback, route.fallbackModel ?? route.model] as const] : []),
      ] as const) {
        if (name === 'retrieval') continue;
        if (!model) missing.push(`${where}.model is missing: the ${name} backend needs a model`);
        if (!route.baseUrl && !openaiApiKey)
          missing.push(
            `OPENAI_API_KEY is not set: ${where} uses the ${name} backend on OpenAI (or give it a "baseUrl")`,
          );
      }
      routes[key] = {
        ...route,
        backend,
        dataset: isAbsolute(route.dataset) ? route.dataset : resolve(baseDir, route.dataset),
      };
    }
  }

  const memorySetting = env.ALTEREGO_SMS_MEMORY_FILE || settings.memoryFile || 'alterego-sms.db';
  const memoryFile =
    memorySetting === ':memory:' || isAbsolute(memorySetting)
      ? memorySetting
      : resolve(baseDir, memorySetting);

  const problems = [...new Set([...bad, ...missing])];
  if (problems.length > 0)
    throw new SmsConfigError(
      problems,
      bad.length > 0 ? EXIT_BAD_CONFIG : EXIT_MISSING_CONFIG,
      source.file,
    );

  return {
    ...(publicUrl === undefined ? {} : { publicUrl }),
    path,
    port,
    host: env.ALTEREGO_SMS_HOST || settings.host || '127.0.0.1',
    trustProxy,
    allow: allow ?? [],
    routes,
    memoryFile,
    replyDeadlineMs: settings.replyDeadlineMs ?? 10_000,
    maxSegments: settings.maxSegments ?? 4,
    limits: settings.limits ?? {},
    rateLimit: {
      burst: settings.rateLimit?.burst ?? 5,
      perMinute: settings.rateLimit?.perMinute ?? 10,
    },
    bodyLimitBytes: settings.bodyLimitBytes ?? 16_384,
    twilio: {
      apiBase: (envApiBase ?? settings.twilio?.apiBase ?? 'https://api.twilio.com').replace(
        /\/+$/,
        '',
      ),
      ...(accountSid ? { accountSid } : {}),
      authToken,
    },
    ...(openaiApiKey ? { openaiApiKey } : {}),
    logLevel,
    logMessages,
    logRawNumbers: settings.logRawNumbers ?? false,
  };
}

/** `:LINE` of a JSON syntax error in `text`, when it can be told. */
function jsonErrorPlace(text: string, message: string): string {
  const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
  if (line !== undefined) return `:${line}`;
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `:${text.slice(0, Number(position)).split('\n').length}`;
  // Some messages quote the text instead: the first run of lines that fails for another reason
  // than ending early ends at the line with the error.
  const lines = text.split('\n');
  for (let count = 1; count <= lines.length; count += 1) {
    const prefix = lines.slice(0, count).join('\n');
    try {
      JSON.parse(prefix);
    } catch (error) {
      const reason = (error as Error).message;
      const at = /at position (\d+)/.exec(reason)?.[1];
      const early =
        /end of (JSON )?input|Unterminated/i.test(reason) ||
        (at !== undefined && Number(at) >= prefix.trimEnd().length);
      if (!early) return `:${count}`;
    }
  }
  return '';
}

/**
 * Reads and validates the config file (`alterego-sms.config.json` in `cwd` by default; a missing
 * default file means every setting comes from the environment) merged with the environment.
 */
export async function loadSmsConfig(
  explicitPath: string | undefined,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<SmsConfig> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, explicitPath ?? SMS_CONFIG_FILE);
  let json: unknown = {};
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || explicitPath !== undefined)
      throw new SmsConfigError(
        [
          code === 'ENOENT'
            ? 'no such file; check the --config path'
            : `cannot read the config file (${code ?? String(cause)})`,
        ],
        EXIT_BAD_CONFIG,
        path,
      );
  }
  if (text !== undefined) {
    try {
      json = JSON.parse(text);
    } catch (cause) {
      const message = (cause as Error).message;
      throw new SmsConfigError(
        [`not valid JSON (${message})`],
        EXIT_BAD_CONFIG,
        `${path}${jsonErrorPlace(text, message)}`,
      );
    }
  }
  return parseSmsConfig(json, {
    env: options.env ?? process.env,
    baseDir: text === undefined ? cwd : dirname(path),
    ...(text === undefined ? {} : { file: path }),
  });
}
