import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { type Conversation, type ParseWarning } from '@alterego/core';
import {
  DATASET_FILES,
  DatasetError,
  type DatasetInput,
  type DatasetManifest,
  type DatasetOptions,
  hashInput,
  writeDataset,
} from '@alterego/dataset';
import { CliError, InterruptedError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import {
  addInputOptions,
  inputFlags,
  configPath,
  inputPaths,
  inputSettings,
  type InputFlags,
  openInputs,
  warningLines,
} from '../inputs.js';
import { type CliIO, commandOutput } from '../io.js';
import {
  countingInput,
  createProgress,
  inputBytes,
  NO_PROGRESS,
  progressWanted,
  summaryRow,
  type SummaryRow,
  summaryTable,
  tally,
  terminalWidth,
} from '../progress.js';
import { collect, numberOption } from '../options.js';

export interface BuildFlags extends InputFlags {
  output?: string;
  json?: boolean;
  /** The system prompt from a file (`--system-prompt-file`). */
  systemPromptFile?: string;
  /** Dataset options from flags; undefined ones fall back to the config file, then defaults. */
  dataset: DatasetOptions;
}

/**
 * `alterego build <input…> -o DIR`: exports or Conversation JSONL → `train.jsonl`,
 * `valid.jsonl` and `manifest.json` in DIR. Inputs are recognised before anything is written;
 * the three files appear complete or not at all.
 */
export async function build(given: string[], flags: BuildFlags, io: CliIO): Promise<number> {
  const settings = await inputSettings(flags, io);
  const { me, timeZone, registry, resolve } = settings;
  const configured = settings.config.dataset;
  if (flags.output === undefined && configured !== undefined) {
    flags = { ...flags, output: configPath(configured, settings, io.cwd) };
  }
  if (flags.output === undefined) {
    throw new CliError(
      'missing --output DIR: the folder to write train.jsonl, valid.jsonl and manifest.json into (or "dataset" in alterego.config.json)',
      ExitCode.usage,
    );
  }
  const inputs = inputPaths(given, settings, io.cwd, 'build');
  const output = resolve(flags.output);
  const info = await stat(output).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new CliError(
      `${flags.output}: is a file; give --output a folder to write the dataset into`,
      ExitCode.usage,
    );
  }
  const dataset: DatasetOptions = { ...flags.dataset };
  if (flags.systemPromptFile !== undefined) {
    dataset.systemPrompt = (await readFile(resolve(flags.systemPromptFile), 'utf8')).trim();
  }

  const { opened, sources, close } = await openInputs(inputs, settings);
  const progress = createProgress(io, flags.json);
  const rows: SummaryRow[] = [];
  try {
    const records: DatasetInput[] = [];
    for (const { path, formats } of opened) {
      records.push({
        ...(await hashInput(resolve(path), path)),
        formats,
        conversations: 0,
        messages: 0,
      });
    }
    const warnings: ParseWarning[] = [];

    async function* conversations(): AsyncGenerator<Conversation> {
      for (const { input, path } of sources) {
        const record = records.find((entry) => entry.path === path.split(' + ')[0]);
        const row = summaryRow(path);
        rows.push(row);
        progress.begin(path, await inputBytes(input));
        const counted = countingInput(input, (bytes) => progress.bytes(bytes));
        for await (const event of registry.parse(progress === NO_PROGRESS ? input : counted, {
          me,
          timeZone,
          signal: io.signal,
        })) {
          if (io.signal.aborted) throw new InterruptedError();
          progress.format(event.format);
          if (event.type === 'warning') {
            warnings.push(event.warning);
            continue;
          }
          tally(row, event.conversation, event.format);
          progress.messages(event.conversation.messages.length);
          if (record) {
            record.conversations = (record.conversations ?? 0) + 1;
            record.messages = (record.messages ?? 0) + event.conversation.messages.length;
          }
          yield event.conversation;
        }
        if (io.signal.aborted) throw new InterruptedError();
      }
    }

    let manifest: DatasetManifest;
    try {
      manifest = await writeDataset(output, conversations(), dataset, { inputs: records });
    } catch (error) {
      if (DatasetError.isInstance(error))
        throw new CliError(error.message, ExitCode.usage, { cause: error });
      throw error;
    }
    progress.done();
    printSummary(manifest, warnings, flags, io, progressWanted(io, flags.json) ? rows : undefined);
    return warnings.some((warning) => warning.skipped !== false) ? ExitCode.partial : ExitCode.ok;
  } finally {
    progress.done();
    await close();
  }
}

function printSummary(
  manifest: DatasetManifest,
  warnings: ParseWarning[],
  flags: BuildFlags,
  io: CliIO,
  table?: SummaryRow[],
): void {
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ output: flags.output, ...manifest, parseWarnings: warnings }, null, 2)}\n`,
    );
    return;
  }
  const lines = warningLines(warnings);
  if (table) lines.push(summaryTable(table, terminalWidth(io)), '');
  const { conversations, messages, examples, sessions, tokens, redaction, cost } = manifest;
  const skipped = Object.entries(conversations.skipped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  lines.push(
    `conversations: ${conversations.used} used of ${conversations.read}${skipped ? ` (skipped: ${skipped})` : ''}`,
    `messages: ${messages.used} used of ${messages.read} (${messages.duplicates} duplicates, ${messages.secrets} with codes or passwords dropped)`,
    `examples: ${examples.train} train (${sessions.train} sessions), ${examples.valid} validation (${sessions.valid} sessions)`,
    `tokens: ${tokens.train.total} in training examples (median ${tokens.train.median}, max ${tokens.train.max})`,
    `redacted: ${Object.entries(redaction)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ')}`,
  );
  const selected = cost.estimates.find((estimate) => estimate.model === cost.model);
  if (selected) {
    lines.push(
      `cost: ~$${selected.usd.toFixed(2)} on ${selected.model} (${selected.epochs} epochs × ${selected.billedTokensPerEpoch} tokens); --json lists every model`,
    );
  }
  for (const warning of manifest.warnings) lines.push(`warning: ${warning}`);
  lines.push(
    `wrote ${join(flags.output ?? '', DATASET_FILES.train)}, ${DATASET_FILES.valid} and ${DATASET_FILES.manifest}`,
  );
  io.stderr.write(`${lines.join('\n')}\n`);
}

/** Adds `alterego build` to the program. */
export function registerBuildCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
): Command {
  return addInputOptions(
    program
      .command('build')
      .summary('exports or Conversation JSONL → train.jsonl, valid.jsonl, manifest.json')
      .description(
        'Builds fine-tuning data that sounds like you: sessions cut at silences, your messages as the assistant, everyone else as the user, private data redacted, split by session into train and validation, with token counts and cost.',
      )
      .configureOutput(commandOutput(io, 'alterego build'))
      .argument(
        '[input...]',
        'export files, folders or zips, or Conversation JSONL from `alterego convert` (default: "inputs" in the config file)',
      ),
  )
    .option(
      '-o, --output <dir>',
      'folder for train.jsonl, valid.jsonl and manifest.json (default: "dataset" in the config file)',
    )
    .addOption(
      new Option('--mode <mode>', 'sessions (multi-turn) or pairs (context → reply)').choices([
        'sessions',
        'pairs',
      ]),
    )
    .addOption(
      new Option(
        '--gap <minutes>',
        'a silence longer than this starts a new session (default 60)',
      ).argParser(numberOption('--gap')),
    )
    .addOption(
      new Option('--max-tokens <n>', 'most tokens per example (default 2048)').argParser(
        numberOption('--max-tokens'),
      ),
    )
    .addOption(
      new Option(
        '--overlap <turns>',
        'sessions: turns repeated as context between windows (default 2)',
      ).argParser(numberOption('--overlap')),
    )
    .addOption(
      new Option(
        '--context <turns>',
        'pairs: turns of context before each reply (default 6)',
      ).argParser(numberOption('--context')),
    )
    .option('--groups', 'include group chats (speakers are named: "Alex: …")')
    .option('--no-posts', 'leave out posts (tweets)')
    .option(
      '--post-prompt <text>',
      'the user turn before each post ("" for none; default "Write a post.")',
    )
    .option(
      '--name <name>',
      'your name in the system prompt (default: your name in the first chat)',
    )
    .option('--system-prompt <text>', 'the persona prompt of every example ({name} is replaced)')
    .option('--system-prompt-file <file>', 'read the persona prompt from a file')
    .addOption(
      new Option('--platform <platform>', 'only this platform (repeatable)').argParser(collect),
    )
    .addOption(
      new Option('--chat <chat>', 'only this chat, by id or title (repeatable)').argParser(collect),
    )
    .addOption(
      new Option('--exclude-chat <chat>', 'leave this chat out (repeatable)').argParser(collect),
    )
    .addOption(
      new Option('--with <person>', 'only chats with this person (repeatable)').argParser(collect),
    )
    .addOption(
      new Option('--without <person>', 'leave out chats with this person (repeatable)').argParser(
        collect,
      ),
    )
    .option('--since <date>', 'only messages from this date on (YYYY-MM-DD, UTC)')
    .option('--until <date>', 'only messages up to this date, inclusive (YYYY-MM-DD, UTC)')
    .option('--no-redact', 'keep phone numbers, e-mails, cards, IBANs and IP addresses')
    .addOption(
      new Option(
        '--redact-word <word>',
        'also replace this name or word with [NAME] (repeatable)',
      ).argParser(collect),
    )
    .option('--drop-links', 'drop messages that are only links')
    .addOption(
      new Option('--min-chars <n>', 'do not train on shorter replies (default 1)').argParser(
        numberOption('--min-chars'),
      ),
    )
    .addOption(
      new Option('--max-chars <n>', 'do not train on longer replies (default 2000)').argParser(
        numberOption('--max-chars'),
      ),
    )
    .addOption(
      new Option(
        '--valid <fraction>',
        "share of each chat's sessions for validation (default 0.1)",
      ).argParser(numberOption('--valid')),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the split and down-sampling (default 42)').argParser(
        numberOption('--seed'),
      ),
    )
    .option(
      '--model <model>',
      'model to size examples and estimate cost for (default gpt-4.1-mini-2025-04-14)',
    )
    .option('--json', 'print the manifest and parse warnings as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ alterego build "WhatsApp Chat with Alex.txt" --me "Sam Rivera" -o dataset
  $ alterego build conversations.jsonl --groups --redact-word "Alex Chen" --since 2022-01-01 -o dataset
  $ alterego build exports/ --mode pairs --context 4 --json -o dataset > summary.json`,
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      const global = program.opts<{ config?: string }>();
      const dataset: DatasetOptions = {
        mode: options.mode as DatasetOptions['mode'],
        sessionGapMinutes: options.gap as number | undefined,
        maxExampleTokens: options.maxTokens as number | undefined,
        overlapTurns: options.overlap as number | undefined,
        contextTurns: options.context as number | undefined,
        includeGroups: options.groups === true ? true : undefined,
        includePosts: options.posts === false ? false : undefined,
        postPrompt: options.postPrompt as string | undefined,
        name: options.name as string | undefined,
        systemPrompt: options.systemPrompt as string | undefined,
        platforms: options.platform as DatasetOptions['platforms'],
        chats: options.chat as string[] | undefined,
        excludeChats: options.excludeChat as string[] | undefined,
        participants: options.with as string[] | undefined,
        excludeParticipants: options.without as string[] | undefined,
        since: options.since as string | undefined,
        until: options.until as string | undefined,
        redact: options.redact === false ? false : undefined,
        redactWords: options.redactWord as string[] | undefined,
        dropLinkOnly: options.dropLinks === true ? true : undefined,
        minReplyChars: options.minChars as number | undefined,
        maxReplyChars: options.maxChars as number | undefined,
        validFraction: options.valid as number | undefined,
        seed: options.seed as number | undefined,
        model: options.model as string | undefined,
      };
      for (const key of Object.keys(dataset) as (keyof DatasetOptions)[]) {
        if (dataset[key] === undefined) delete dataset[key];
      }
      setResult(
        await build(
          inputs,
          {
            ...inputFlags(options, global.config),
            output: options.output as string | undefined,
            json: Boolean(options.json),
            systemPromptFile: options.systemPromptFile as string | undefined,
            dataset,
          },
          io,
        ),
      );
    });
}
