import { type Command, Option } from 'commander';
import { z } from 'zod';
import {
  addInputOptions,
  inputFlags,
  inputPaths,
  inputSettings,
  type InputFlags,
  warningLines,
} from '../inputs.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, commandOutput, writeOut } from '../io.js';
import { createProgress, terminalWidth } from '../progress.js';
import type { ChatStats, SourceStats, Stats } from '../report/collect.js';
import { collectInputs } from '../report/read.js';
import { count, dateRange, formatTable, percent } from '../report/table.js';
import { wholeNumber } from '../options.js';

const CountsSchema = z.object({
  messages: z.number().int().nonnegative(),
  mine: z.number().int().nonnegative(),
  myShare: z.number().min(0).max(1),
  text: z.number().int().nonnegative(),
  media: z.number().int().nonnegative(),
  myTextTokens: z.number().int().nonnegative(),
  first: z.iso.date().nullable(),
  last: z.iso.date().nullable(),
});

const WarningSchema = z.object({
  file: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  ruleId: z.string(),
  reason: z.string(),
  source: z.string(),
  skipped: z.boolean().optional(),
});

/** What `alterego stats --json` prints. */
export const StatsReportSchema = z
  .object({
    timeZone: z.string(),
    totals: CountsSchema.extend({
      chats: z.number().int().nonnegative(),
      sources: z.number().int().nonnegative(),
    }),
    sources: z.array(
      CountsSchema.extend({
        path: z.string(),
        formats: z.array(z.string()),
        platforms: z.array(z.string()),
        chats: z.number().int().nonnegative(),
      }),
    ),
    /** Most messages first. */
    chats: z.array(
      CountsSchema.extend({
        id: z.string(),
        title: z.string(),
        platform: z.string(),
        kind: z.string(),
        source: z.string(),
        participants: z.number().int().nonnegative(),
      }),
    ),
    warnings: z.array(WarningSchema),
  })
  .strict();

export type StatsReport = z.infer<typeof StatsReportSchema>;

export interface StatsFlags extends InputFlags {
  json?: boolean;
  /** How many chats the text lists (all of them with --json). */
  top?: number;
}

/** `alterego stats [input…]`: counts per source and per chat. */
export async function stats(given: string[], flags: StatsFlags, io: CliIO): Promise<number> {
  const settings = await inputSettings(flags, io);
  const inputs = inputPaths(given, settings, io.cwd, 'stats');
  const { collector, warnings } = await collectInputs(
    inputs,
    settings,
    io,
    createProgress(io, flags.json),
  );
  const report: StatsReport = { ...collector.stats(), warnings };
  if (flags.json) {
    await writeOut(io.stdout, `${JSON.stringify(report, null, 2)}\n`);
  } else {
    const notes = warningLines(warnings);
    if (notes.length > 0) io.stderr.write(`${notes.join('\n')}\n`);
    await writeOut(io.stdout, `${formatStats(report, flags.top ?? 20, terminalWidth(io))}\n`);
  }
  return warnings.some((warning) => warning.skipped !== false) ? ExitCode.partial : ExitCode.ok;
}

/** The stats as text: a line of totals, the sources, then the top chats. */
export function formatStats(report: Stats, top: number, maxWidth = 120): string {
  const { totals } = report;
  const lines = [
    `${count(totals.messages)} messages in ${count(totals.chats)} chat${totals.chats === 1 ? '' : 's'} from ${count(totals.sources)} source${totals.sources === 1 ? '' : 's'}, ${dateRange(totals.first, totals.last)}`,
    `yours: ${count(totals.mine)} (${percent(totals.myShare)}), ${count(totals.myTextTokens)} tokens of your own text (o200k)${totals.mine === 0 ? ' — nothing is marked as yours: give --me NAME' : ''}`,
    '',
    formatTable<SourceStats>(
      [
        { title: 'source', value: (row) => row.path, shrink: true },
        {
          title: 'format',
          value: (row) =>
            row.formats.length > 2
              ? `${row.formats.length} formats`
              : row.formats.join(', ') || '—',
        },
        { title: 'chats', value: (row) => count(row.chats), right: true },
        { title: 'messages', value: (row) => count(row.messages), right: true },
        { title: 'mine', value: (row) => percent(row.myShare), right: true },
        { title: 'text', value: (row) => count(row.text), right: true },
        { title: 'media', value: (row) => count(row.media), right: true },
        { title: 'my tokens', value: (row) => count(row.myTextTokens), right: true },
        { title: 'dates', value: (row) => dateRange(row.first, row.last) },
      ],
      report.sources,
      maxWidth,
    ),
  ];
  if (report.chats.length > 0) {
    const shown = report.chats.slice(0, top);
    lines.push(
      '',
      `top chats${report.chats.length > shown.length ? ` (${shown.length} of ${report.chats.length}; --top N for more)` : ''}`,
      formatTable<ChatStats>(
        [
          { title: 'chat', value: (row) => row.title, shrink: true },
          { title: 'platform', value: (row) => row.platform },
          { title: 'messages', value: (row) => count(row.messages), right: true },
          { title: 'mine', value: (row) => percent(row.myShare), right: true },
          { title: 'text', value: (row) => count(row.text), right: true },
          { title: 'media', value: (row) => count(row.media), right: true },
          { title: 'my tokens', value: (row) => count(row.myTextTokens), right: true },
          { title: 'dates', value: (row) => dateRange(row.first, row.last) },
        ],
        shown,
        maxWidth,
      ),
    );
  }
  return lines.join('\n');
}

/** Adds `alterego stats` to the program. */
export function registerStatsCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
): Command {
  return addInputOptions(
    program
      .command('stats')
      .summary('per-source and per-chat counts, date ranges, your share and tokens')
      .description(
        'Counts what your exports hold: per source and per chat the messages, your share, the date range, text and media, and the tokens of your own text (o200k, the encoding of gpt-4o and gpt-4.1).',
      )
      .configureOutput(commandOutput(io, 'alterego stats'))
      .argument(
        '[input...]',
        'export files, folders or zips (default: "inputs" in the config file)',
      ),
    "IANA time zone for dates (default: this machine's zone)",
  )
    .addOption(
      new Option('--top <n>', 'how many chats to list (default 20)').argParser(
        wholeNumber('--top', 1),
      ),
    )
    .option('--json', 'print every number as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ alterego stats exports/ --me "Sam Rivera"
  $ alterego stats --json > stats.json          (inputs from alterego.config.json)`,
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      const global = program.opts<{ config?: string }>();
      setResult(
        await stats(
          inputs,
          {
            ...inputFlags(options, global.config),
            json: Boolean(options.json),
            top: options.top as number | undefined,
          },
          io,
        ),
      );
    });
}
