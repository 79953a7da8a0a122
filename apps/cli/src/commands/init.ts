import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { createInterface, type Interface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import {
  createIdentityMatcher,
  localTimeZone,
  openInput,
  type ParserRegistry,
  resolveTimeZone,
  writeFileAtomic,
} from '@alterego/core';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { CliError, InterruptedError } from '../cli-error.js';
import { type Config, CONFIG_FILE, CONFIG_SCHEMA_FILE, ConfigSchema } from '../config.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, commandOutput, writeOut } from '../io.js';
import { createRegistry } from '../parsers.js';
import { formatBytes } from '../progress.js';
import { count, formatTable } from '../report/table.js';
import { collect } from '../options.js';

export interface InitFlags {
  me?: string[];
  tz?: string;
  dataset?: string;
  contacts?: string;
  yes?: boolean;
  force?: boolean;
  json?: boolean;
  /** Where to write the settings (global --config); default ./alterego.config.json. */
  config?: string;
  /** The Messages database looked for on a Mac; tests point it elsewhere. */
  messagesDb?: string | null;
}

/** One export found by `init`. */
export interface FoundExport {
  /** As written into `inputs`: relative to the config file's folder unless absolute. */
  path: string;
  /** As shown to the user: relative to the working folder. */
  shown: string;
  formats: string[];
  /** Short names of the formats, for the table. */
  labels: string[];
  bytes: number;
  /** Undefined when the export was too big to count quickly. */
  chats?: number;
  messages?: number;
  /** Names the export itself marks as its owner. */
  owners: string[];
  /** Whether the export marks its owner's messages without a name (iMessage's is_from_me). */
  ownerMarked: boolean;
  /** Everyone's names with the number of chats they are in. */
  people: Map<string, number>;
}

/** What `alterego init --json` prints. */
export const InitResultSchema = z
  .object({
    path: z.string(),
    config: ConfigSchema,
    exports: z.array(
      z.object({
        path: z.string(),
        formats: z.array(z.string()).min(1),
        bytes: z.number().int().nonnegative(),
        chats: z.number().int().nonnegative().nullable(),
        messages: z.number().int().nonnegative().nullable(),
        owners: z.array(z.string()),
      }),
    ),
  })
  .strict();

export type InitResult = z.infer<typeof InitResultSchema>;

/** Exports larger than this are listed without reading them for counts and names. */
const COUNT_LIMIT_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 4;
const MAX_FILES = 2000;
const SKIPPED_FOLDERS = new Set(['node_modules', '__MACOSX']);
/** Conversation JSONL is alterego's own output, not an export. */
const OWN_FORMATS = new Set(['alterego-jsonl']);
/** Names some exports give the owner instead of a real name. */
const GENERIC_NAMES = new Set(['me', 'you', 'self', 'myself']);

/** Short name of a parser: its display name without the parenthesised details. */
function shortLabel(displayName: string): string {
  return displayName.replace(/\s*[("].*$/, '').trim() || displayName;
}

/**
 * Looks for exports under the given paths: files, zips and folders the registry recognises by
 * content. A folder is taken whole only when nothing inside it is recognised on its own (a
 * Twitter archive, a Facebook download folder). Also finds contacts files (.vcf).
 */
export async function findExports(
  roots: readonly string[],
  registry: ParserRegistry,
  signal: AbortSignal,
): Promise<{ found: { path: string; formats: string[]; labels: string[] }[]; vcards: string[] }> {
  const found: { path: string; formats: string[]; labels: string[] }[] = [];
  const vcards: string[] = [];
  let files = 0;

  async function recognise(path: string): Promise<boolean> {
    let input;
    try {
      input = await openInput(path);
    } catch {
      return false;
    }
    try {
      const matches = (await registry.detect(input)).filter(
        (match) => !OWN_FORMATS.has(match.parser.format),
      );
      if (matches.length === 0) return false;
      found.push({
        path,
        formats: matches.map((match) => match.parser.format),
        labels: matches.map((match) => shortLabel(match.parser.displayName)),
      });
      return true;
    } catch {
      // Unreadable (permissions, a damaged zip): not an export we can use.
      return false;
    } finally {
      await input.close();
    }
  }

  async function visit(path: string, depth: number): Promise<boolean> {
    if (signal.aborted) throw new InterruptedError();
    const info = await stat(path).catch(() => undefined);
    if (!info) return false;
    if (!info.isDirectory()) {
      if (files >= MAX_FILES) return false;
      files += 1;
      if (extname(path).toLowerCase() === '.vcf') {
        vcards.push(path);
        return false;
      }
      return recognise(path);
    }
    if (depth > MAX_DEPTH) return false;
    const names = (await readdir(path).catch(() => [] as string[])).sort();
    let any = false;
    for (const name of names) {
      if (name.startsWith('.') || SKIPPED_FOLDERS.has(name)) continue;
      if (await visit(join(path, name), depth + 1)) any = true;
    }
    // A folder whose parts mean nothing alone (a Twitter archive's data/ and assets/).
    if (!any && depth > 0 && files < MAX_FILES) return recognise(path);
    return any;
  }

  for (const root of roots) {
    const before = found.length;
    const matched = await visit(root, 0);
    // A folder given on the command line that is one export as a whole.
    if (!matched && found.length === before) {
      const info = await stat(root).catch(() => undefined);
      if (info?.isDirectory()) await recognise(root);
    }
  }
  return { found, vcards };
}

/** Reads an export for its chats, messages and the names in it, with nobody given as the owner. */
async function describeExport(
  path: string,
  registry: ParserRegistry,
  signal: AbortSignal,
): Promise<
  Pick<FoundExport, 'bytes' | 'chats' | 'messages' | 'owners' | 'ownerMarked' | 'people'>
> {
  const input = await openInput(path);
  try {
    const bytes = (await input.entries()).reduce((sum, entry) => sum + entry.size, 0);
    const result: Pick<
      FoundExport,
      'bytes' | 'chats' | 'messages' | 'owners' | 'ownerMarked' | 'people'
    > = { bytes, owners: [], ownerMarked: false, people: new Map() };
    if (bytes > COUNT_LIMIT_BYTES) return result;
    let chats = 0;
    let messages = 0;
    try {
      for await (const event of registry.parse(input, { me: [], timeZone: 'UTC', signal })) {
        if (signal.aborted) throw new InterruptedError();
        if (event.type !== 'conversation') continue;
        chats += 1;
        messages += event.conversation.messages.length;
        for (const person of event.conversation.participants) {
          if (person.self) {
            result.ownerMarked = true;
            if (
              !GENERIC_NAMES.has(person.name.trim().toLowerCase()) &&
              !result.owners.includes(person.name)
            )
              result.owners.push(person.name);
          } else {
            result.people.set(person.name, (result.people.get(person.name) ?? 0) + 1);
          }
        }
      }
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      return result;
    }
    return { ...result, chats, messages };
  } finally {
    await input.close();
  }
}

/**
 * The names to suggest for one export, best first: the owner it names, else the people in it
 * ranked by how many other exports name them as their owner or include them, then by chats.
 */
export function suggestNames(target: FoundExport, all: readonly FoundExport[]): string[] {
  if (target.owners.length > 0) return [...target.owners];
  const score = new Map<string, number>();
  const candidates = new Set<string>(target.people.keys());
  for (const found of all) for (const owner of found.owners) candidates.add(owner);
  for (const name of candidates) {
    let value = target.people.get(name) ?? 0;
    for (const other of all) {
      if (other === target) continue;
      if (other.owners.includes(name)) value += 1000;
      else if (other.people.has(name)) value += 100;
    }
    score.set(name, value);
  }
  return [...candidates]
    .filter((name) => !GENERIC_NAMES.has(name.trim().toLowerCase()))
    .sort((a, b) => (score.get(b) ?? 0) - (score.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, 5);
}

/** True when the export marks its owner, or one of `me` is among its people. */
function covered(found: FoundExport, me: readonly string[]): boolean {
  if (found.ownerMarked) return true;
  const matcher = createIdentityMatcher(me);
  if (matcher.empty) return false;
  return [...found.people.keys()].some((name) => matcher.matches({ name }));
}

/** Where the config schema ships: beside the bundle's folder (dist/) and the sources' (src/). */
function schemaReference(configDir: string): string {
  const file = fileURLToPath(new URL(`../${CONFIG_SCHEMA_FILE}`, import.meta.url));
  const local = [file, fileURLToPath(new URL(`../../${CONFIG_SCHEMA_FILE}`, import.meta.url))].find(
    (path) => existsSync(path),
  );
  if (local) {
    // Installed in the project (node_modules/@alterego/cli): a path that moves with it.
    const path = relative(configDir, local).split(sep).join('/');
    if (!path.startsWith('..') && !isAbsolute(path)) return `./${path}`;
  }
  return `https://unpkg.com/@alterego/cli/${CONFIG_SCHEMA_FILE}`;
}

/** Questions on a terminal; none without one. */
class Questions {
  readonly #rl: Interface;
  readonly #controller = new AbortController();

  constructor(io: CliIO) {
    this.#rl = createInterface({ input: io.stdin!, output: io.stderr, terminal: true });
    // Ctrl-C and Ctrl-D at a question stop the command.
    this.#rl.on('SIGINT', () => this.#controller.abort());
    this.#rl.on('close', () => this.#controller.abort());
    io.signal.addEventListener('abort', () => this.#controller.abort(), { once: true });
  }

  async ask(question: string): Promise<string> {
    try {
      return (await this.#rl.question(question, { signal: this.#controller.signal })).trim();
    } catch {
      throw new InterruptedError();
    }
  }

  async confirm(question: string, fallback: boolean): Promise<boolean> {
    for (;;) {
      const answer = (await this.ask(`${question} ${fallback ? '[Y/n]' : '[y/N]'} `)).toLowerCase();
      if (answer === '') return fallback;
      if (['y', 'yes'].includes(answer)) return true;
      if (['n', 'no'].includes(answer)) return false;
    }
  }

  close(): void {
    this.#rl.removeAllListeners('close');
    this.#rl.close();
  }
}

/**
 * `alterego init [dir…]`: finds the exports, asks who you are in each, your time zone and the
 * dataset folder, and writes alterego.config.json. Every question is a flag too; without a
 * terminal (or with --yes) nothing is asked.
 */
export async function init(dirs: string[], flags: InitFlags, io: CliIO): Promise<number> {
  const resolve = (path: string) => (isAbsolute(path) ? path : join(io.cwd, path));
  const configFile = resolve(flags.config ?? CONFIG_FILE);
  const configDir = dirname(configFile);
  const shownConfig = flags.config ?? CONFIG_FILE;
  const interactive = io.stdin?.isTTY === true && !flags.yes;
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const questions = interactive ? new Questions(io) : undefined;
  try {
    if (existsSync(configFile) && !flags.force) {
      if (!questions) {
        throw new CliError(
          `${shownConfig} already exists; add --force to replace it`,
          ExitCode.usage,
        );
      }
      if (!(await questions.confirm(`${shownConfig} already exists. Replace it?`, false))) {
        say(`left ${shownConfig} as it was`);
        return ExitCode.failure;
      }
    }

    // 1. The exports.
    const roots = dirs.length > 0 ? dirs.map(resolve) : [io.cwd];
    for (const root of roots) {
      if (!existsSync(root)) {
        throw new CliError(`${relativeTo(io.cwd, root)}: no such file or folder`, ExitCode.usage);
      }
    }
    const messagesDb =
      flags.messagesDb === undefined
        ? process.platform === 'darwin'
          ? join(io.env.HOME ?? homedir(), 'Library', 'Messages', 'chat.db')
          : null
        : flags.messagesDb;
    if (messagesDb && existsSync(messagesDb)) roots.push(messagesDb);
    say(
      `Looking for chat exports in ${roots.map((root) => relativeTo(io.cwd, root)).join(', ')} …`,
    );
    const registry = createRegistry();
    const { found: located, vcards } = await findExports(roots, registry, io.signal);
    if (located.length === 0) {
      throw new CliError(
        `no chat exports found in ${roots.map((root) => relativeTo(io.cwd, root)).join(', ')}; give the folders that hold them: alterego init DIR… (formats: ${registry.formats().map(shortLabel).join(', ')})`,
        ExitCode.usage,
      );
    }
    const found: FoundExport[] = [];
    for (const item of located) {
      found.push({
        path: relativeTo(configDir, item.path),
        shown: relativeTo(io.cwd, item.path),
        formats: item.formats,
        labels: item.labels,
        ...(await describeExport(item.path, registry, io.signal)),
      });
    }
    say(
      `\nFound ${found.length} export${found.length === 1 ? '' : 's'}:\n${formatTable<FoundExport>(
        [
          { title: 'format', value: (row) => row.labels.join(', ') },
          { title: 'file', value: (row) => row.shown, shrink: true },
          { title: 'size', value: (row) => formatBytes(row.bytes), right: true },
          {
            title: 'chats',
            value: (row) => (row.chats === undefined ? '?' : count(row.chats)),
            right: true,
          },
          {
            title: 'messages',
            value: (row) => (row.messages === undefined ? '?' : count(row.messages)),
            right: true,
          },
          {
            title: 'you',
            value: (row) => row.owners.join(', ') || (row.ownerMarked ? '(marked)' : '—'),
          },
        ],
        found,
        (io.stderr as { columns?: number }).columns ?? 120,
      )}\n`,
    );

    // 2. Who you are.
    const me = [...(flags.me ?? [])];
    if (me.length === 0 && questions) {
      for (const item of found) {
        const suggestions = suggestNames(item, found);
        const fallback = suggestions.find((name) => !me.includes(name)) ?? suggestions[0];
        const already = me.length > 0 && covered(item, me);
        const listed = suggestions.map((name, index) => `${index + 1}) ${name}`).join('   ');
        say(
          `Who are you in ${item.shown} (${item.labels.join(', ')})?${listed ? `\n  ${listed}` : ''}`,
        );
        const defaultAnswer = already ? '' : (fallback ?? '');
        for (;;) {
          const answer = await questions.ask(
            `  your name, number or handle there${defaultAnswer ? ` [${defaultAnswer}]` : already ? ' [as above]' : ''}: `,
          );
          const names = (answer === '' ? (defaultAnswer ? [defaultAnswer] : []) : answer.split(','))
            .map((name) => name.trim())
            .map((name) => (/^\d+$/.test(name) ? (suggestions[Number(name) - 1] ?? name) : name))
            .filter(Boolean);
          if (names.length === 0 && !already && !item.ownerMarked) {
            say('  type the name this chat shows for you (several: separate them with commas)');
            continue;
          }
          for (const name of names) if (!me.includes(name)) me.push(name);
          break;
        }
      }
    } else if (me.length === 0) {
      // Without questions: the owners the exports name.
      for (const item of found)
        for (const owner of item.owners) if (!me.includes(owner)) me.push(owner);
    }
    const unknown = found.filter((item) => item.chats !== undefined && !covered(item, me));
    if (unknown.length > 0) {
      const first = unknown[0]!;
      const names = suggestNames(first, found)
        .slice(0, 3)
        .map((name) => `"${name}"`);
      throw new CliError(
        `missing --me NAME: nobody in ${first.shown}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''} is known to be you; add --me with your name as the chat shows it${names.length > 0 ? ` (one of: ${names.join(', ')})` : ''}`,
        ExitCode.usage,
      );
    }

    // 3. The time zone.
    let timeZone = checkZone(flags.tz ?? localTimeZone());
    if (questions && flags.tz === undefined) {
      for (;;) {
        const answer = await questions.ask(
          `Time zone for exports without one (WhatsApp) [${timeZone}]: `,
        );
        if (answer === '') break;
        try {
          timeZone = resolveTimeZone(answer);
          break;
        } catch {
          say(
            `  "${answer}" is not an IANA time zone; for example Europe/Berlin or America/New_York`,
          );
        }
      }
    }

    // 4. The dataset folder.
    let dataset = flags.dataset ?? 'dataset';
    if (questions && flags.dataset === undefined) {
      const answer = await questions.ask(`Folder for the training data [${dataset}]: `);
      if (answer !== '') dataset = answer;
    }

    // 5. A contacts file for iMessage numbers, when there is exactly one beside the exports.
    const hasImessage = found.some((item) =>
      item.formats.some((format) => format.startsWith('imessage')),
    );
    const contacts =
      flags.contacts ??
      (hasImessage && vcards.length === 1 ? relativeTo(configDir, vcards[0]!) : undefined);

    const config: Config = {
      $schema: schemaReference(configDir),
      ...(me.length > 0 ? { me } : {}),
      timeZone,
      ...(contacts === undefined ? {} : { contacts }),
      inputs: found.map((item) => item.path),
      dataset,
    };
    const checked = ConfigSchema.safeParse(config);
    if (!checked.success) {
      throw new CliError(
        `the settings are not valid: ${checked.error.issues[0]?.message}`,
        ExitCode.usage,
      );
    }
    await writeFileAtomic(configFile, `${JSON.stringify(checked.data, null, 2)}\n`);

    if (flags.json) {
      const result: InitResult = {
        path: shownConfig,
        config: checked.data,
        exports: found.map((item) => ({
          path: item.path,
          formats: item.formats,
          bytes: item.bytes,
          chats: item.chats ?? null,
          messages: item.messages ?? null,
          owners: item.owners,
        })),
      };
      await writeOut(io.stdout, `${JSON.stringify(result, null, 2)}\n`);
    } else {
      say(
        `wrote ${shownConfig}: ${found.length} input${found.length === 1 ? '' : 's'}, you as ${me.length > 0 ? me.map((name) => `"${name}"`).join(', ') : '(marked by the exports)'}, ${timeZone}, dataset in ${dataset}/\nnext: alterego stats, alterego report --open, alterego build`,
      );
    }
    return ExitCode.ok;
  } finally {
    questions?.close();
  }
}

function checkZone(zone: string): string {
  try {
    return resolveTimeZone(zone);
  } catch {
    throw new CliError(
      `--tz "${zone}" is not an IANA time zone; for example Europe/Berlin or America/New_York`,
      ExitCode.usage,
    );
  }
}

/** A path relative to a folder, or absolute when it is outside it ("." for the folder). */
function relativeTo(folder: string, path: string): string {
  const rel = relative(folder, path);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel;
}

/** Adds `alterego init` to the program. */
export function registerInitCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
): Command {
  return program
    .command('init')
    .summary('find your exports and write alterego.config.json')
    .description(
      'Finds the chat exports in the given folders (default: this one; on a Mac also Messages), recognises each by its content, asks who you are in each, your time zone and where the training data goes, and writes alterego.config.json. Every question is a flag too; without a terminal, or with --yes, nothing is asked.',
    )
    .configureOutput(commandOutput(io, 'alterego init'))
    .argument('[dir...]', 'folders (or files) that hold your exports (default: this folder)')
    .addOption(
      new Option(
        '--me <name>',
        'your name, number or handle in the exports (repeatable)',
      ).argParser(collect),
    )
    .option(
      '--tz <zone>',
      "IANA time zone for exports without zones (default: this machine's zone)",
    )
    .option('--dataset <dir>', 'the folder build writes the training data into (default: dataset)')
    .option('--contacts <file>', 'iMessage: a vCard or CSV contacts file')
    .option('-y, --yes', 'ask nothing: use the flags and what the exports say')
    .option('--force', `replace an existing ${CONFIG_FILE}`)
    .option('--json', 'print what was written as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ alterego init ~/Downloads/exports
  $ alterego init exports/ --me "Sam Rivera" --tz Europe/Berlin --yes`,
    )
    .action(async (dirs: string[], options: Record<string, unknown>) => {
      const global = program.opts<{ config?: string }>();
      setResult(
        await init(
          dirs,
          {
            me: options.me as string[] | undefined,
            tz: options.tz as string | undefined,
            dataset: options.dataset as string | undefined,
            contacts: options.contacts as string | undefined,
            yes: Boolean(options.yes),
            force: Boolean(options.force),
            json: Boolean(options.json),
            config: global.config,
            messagesDb:
              io.env.ALTEREGO_MESSAGES_DB === undefined
                ? undefined
                : io.env.ALTEREGO_MESSAGES_DB || null,
          },
          io,
        ),
      );
    });
}
