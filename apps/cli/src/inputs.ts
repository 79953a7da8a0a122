import { dirname, isAbsolute, join, relative } from 'node:path';
import {
  combineInputs,
  formatPlace,
  type InputSource,
  localTimeZone,
  openInput,
  type ParserRegistry,
  type ParseWarning,
  resolveTimeZone,
  ValidationError,
} from '@alterego/core';
import { type Command, Option } from 'commander';
import { CliError } from './cli-error.js';
import { type Config, envList, loadConfig } from './config.js';
import { ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { collect } from './options.js';
import { createRegistry } from './parsers.js';

/** The flags every command that reads exports takes. */
export interface InputFlags {
  me?: string[];
  tz?: string;
  dayFirst?: boolean;
  contacts?: string;
  config?: string;
}

/**
 * Adds the options of every command that reads exports: `--me` (repeatable), `--tz`,
 * `--day-first`/`--month-first` and `--contacts`. `tz` says what the zone is used for there.
 */
export function addInputOptions(
  command: Command,
  tz = "IANA time zone for exports without zones (default: this machine's zone)",
): Command {
  return command
    .addOption(
      new Option(
        '--me <name>',
        'your name, number or handle in the exports (repeatable)',
      ).argParser(collect),
    )
    .option('--tz <zone>', tz)
    .option('--day-first', 'WhatsApp: read dates as day/month (default: inferred from the file)')
    .addOption(
      new Option('--month-first', 'WhatsApp: read dates as month/day').conflicts('dayFirst'),
    )
    .option(
      '--contacts <file>',
      'iMessage: a vCard (.vcf) or CSV contacts file that puts names on numbers and addresses',
    );
}

/** The options `addInputOptions` added, as InputFlags, with the program's `--config`. */
export function inputFlags(
  options: Record<string, unknown>,
  config: string | undefined,
): InputFlags {
  return {
    me: options.me as string[] | undefined,
    tz: options.tz as string | undefined,
    dayFirst: options.dayFirst ? true : options.monthFirst ? false : undefined,
    contacts: options.contacts as string | undefined,
    config,
  };
}

/** How to read exports: settings from flags, then ALTEREGO_* variables, then the config file. */
export interface InputSettings {
  config: Config;
  me: string[];
  timeZone: string;
  registry: ParserRegistry;
  /** A path the user typed, joined to the working folder when the command runs in another one. */
  resolve: (path: string) => string;
  /** The folder of the config file: `inputs` and `dataset` in it are relative to it. */
  configDir: string;
}

export async function inputSettings(flags: InputFlags, io: CliIO): Promise<InputSettings> {
  const config = await loadConfig(io.cwd, flags.config);
  const me = flags.me?.length ? flags.me : (envList(io.env.ALTEREGO_ME) ?? config.me ?? []);
  const timeZone = resolveTimeZone(
    // An empty variable (`ALTEREGO_TZ=`) counts as not set.
    flags.tz ?? (io.env.ALTEREGO_TZ || undefined) ?? config.timeZone ?? localTimeZone(),
  );
  const contacts = flags.contacts ?? (io.env.ALTEREGO_CONTACTS || undefined) ?? config.contacts;
  // Paths stay as the user typed them, so that messages and warnings name them that way; they are
  // joined to the working folder only when the command runs in another folder than the process.
  const resolve = (path: string) =>
    isAbsolute(path) || io.cwd === process.cwd() ? path : join(io.cwd, path);
  const registry = createRegistry({
    dayFirst: flags.dayFirst ?? config.dayFirst,
    contacts: contacts === undefined ? undefined : resolve(contacts),
  });
  const configDir = flags.config
    ? dirname(isAbsolute(flags.config) ? flags.config : join(io.cwd, flags.config))
    : io.cwd;
  return { config, me, timeZone, registry, resolve, configDir };
}

/**
 * A path from the config file, as commands show and open it: relative to the config file's folder,
 * written relative to the working folder (absolute paths stay as they are).
 */
export function configPath(path: string, { configDir }: InputSettings, cwd: string): string {
  if (isAbsolute(path)) return path;
  return relative(cwd, join(configDir, path)) || '.';
}

/**
 * The inputs of a command: those given, else `inputs` from the config file; neither is a usage
 * error that names the command.
 */
export function inputPaths(
  given: readonly string[],
  settings: InputSettings,
  cwd: string,
  command: string,
): string[] {
  if (given.length > 0) return [...given];
  const configured = settings.config.inputs ?? [];
  if (configured.length === 0) {
    throw new CliError(
      `missing required argument 'input' (see "alterego ${command} --help")`,
      ExitCode.usage,
    );
  }
  return configured.map((path) => configPath(path, settings, cwd));
}

/** Inputs opened and recognised, ready to parse. */
export interface OpenedInputs {
  /** Each input as given, and the formats recognised in it. */
  opened: { input: InputSource; path: string; formats: string[] }[];
  /** What to parse: the inputs, with the parts of one multi-part export read together. */
  sources: { input: InputSource; path: string }[];
  close(): Promise<void>;
}

/**
 * Opens and recognises every input before anything is read, so that an unsupported one stops
 * the run before any output. Closes what it opened when one fails.
 */
export async function openInputs(
  paths: readonly string[],
  { registry, resolve }: InputSettings,
): Promise<OpenedInputs> {
  const opened: OpenedInputs['opened'] = [];
  const close = async () => {
    await Promise.all(opened.map(({ input }) => input.close()));
  };
  try {
    for (const path of paths) {
      const input = await openInput(resolve(path)).catch((error: unknown) => {
        // A path that is not there: say so, and what it should have been.
        throw ValidationError.isInstance(error)
          ? new CliError(
              `${error.message}. Expected a file, folder or zip of one of: ${registry.formats().join('; ')}`,
              ExitCode.usage,
              { cause: error },
            )
          : error;
      });
      opened.push({ input, path, formats: [] });
      opened.at(-1)!.formats = (await registry.match(input)).map((match) => match.parser.format);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { opened, sources: groupParts(opened), close };
}

/** Formats whose exports come in several parts (zips) that hold pieces of the same threads. */
const MULTI_PART_FORMATS = new Set(['messenger']);

/**
 * The inputs to parse: as given, except that several inputs of one multi-part format (the zips
 * of one Facebook download) are read together, so that a thread split across them is one
 * conversation. Each group takes the place of its first part.
 */
function groupParts(opened: OpenedInputs['opened']): OpenedInputs['sources'] {
  const slots: (typeof opened)[] = [];
  const groups = new Map<string, typeof opened>();
  for (const item of opened) {
    const only = item.formats.length === 1 ? item.formats[0]! : undefined;
    if (only === undefined || !MULTI_PART_FORMATS.has(only) || item.input.kind === 'file') {
      slots.push([item]);
      continue;
    }
    const group = groups.get(only);
    if (group) group.push(item);
    else {
      groups.set(only, [item]);
      slots.push(groups.get(only)!);
    }
  }
  return slots.map((group) => ({
    input: group.length === 1 ? group[0]!.input : combineInputs(group.map(({ input }) => input)),
    path: group.map(({ path }) => path).join(' + '),
  }));
}

const MAX_WARNINGS_SHOWN = 20;

/** Parse warnings as summary lines: "warning" when a part was skipped, "note" otherwise. */
export function warningLines(warnings: readonly ParseWarning[]): string[] {
  const lines = warnings.slice(0, MAX_WARNINGS_SHOWN).map((warning) => {
    const label = warning.skipped === false ? 'note' : 'warning';
    return `${label}: ${formatPlace(warning.file, warning.line, warning.column)}: ${warning.reason} [${warning.ruleId}]`;
  });
  if (warnings.length > MAX_WARNINGS_SHOWN) {
    lines.push(
      `… and ${warnings.length - MAX_WARNINGS_SHOWN} more warnings (use --json to see all)`,
    );
  }
  return lines;
}
