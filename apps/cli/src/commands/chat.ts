import { type Command, Option } from 'commander';
import { formatError } from '../cli-error.js';
import { translateChatError } from '../chat/errors.js';
import type { ChatSession } from '../chat/session.js';
import { BACKENDS, type ChatFlags, type ChatSettings, chatSettings } from '../chat/settings.js';
import { runTerminal } from '../chat/terminal.js';
import { startWebChat } from '../chat/web-server.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, commandOutput } from '../io.js';
import { wholeNumber } from '../options.js';

export interface ChatCommandFlags extends ChatFlags {
  web?: boolean;
  port?: number;
  json?: boolean;
}

/** What `alterego chat` needs from outside, replaceable in tests. */
export interface ChatDependencies {
  /** Opens the reply runtime (default: @alterego/chat on the dataset, memory in the data folder). */
  openSession?: (settings: ChatSettings) => Promise<ChatSession>;
  /** Called with the web page's address once it listens. */
  onListening?: (url: string) => void;
}

/** The options chat and eval share. */
export function addChatOptions(command: Command): Command {
  return command
    .option('--dataset <dir>', 'the dataset folder from "alterego build" (default: ./dataset)')
    .addOption(
      new Option(
        '--backend <backend>',
        'who answers: retrieval (offline, default), fewshot or finetuned',
      ).choices(BACKENDS),
    )
    .option(
      '-m, --model <model>',
      'the model (finetuned: the newest fine-tuned one; fewshot: the dataset’s)',
    )
    .option(
      '--base-url <url>',
      'an OpenAI-compatible server, e.g. Ollama http://localhost:11434/v1 (default: OpenAI)',
    )
    .addOption(
      new Option('--fallback <backend>', 'answers when the backend fails or is too slow').choices(
        BACKENDS,
      ),
    )
    .addOption(
      new Option('--timeout <ms>', 'most time one reply may take (default 30000)').argParser(
        wholeNumber('--timeout', 1, 3_600_000),
      ),
    );
}

/** `alterego chat [--web]`: talk to your alter ego in the terminal or in a local web page. */
export function registerChatCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
  dependencies: ChatDependencies = {},
): Command {
  const command = program
    .command('chat')
    .summary('talk to your alter ego in the terminal, or in a local web page')
    .description(
      'Answers your messages the way you text, from a dataset made by "alterego build": with your own past replies (retrieval, offline), a model prompted with them (fewshot), or your fine-tuned model (finetuned). The conversation is remembered in your data folder until /reset.',
    )
    .configureOutput(commandOutput(io, 'alterego chat'));
  addChatOptions(command)
    .option('--web', 'serve a phone-like chat page on 127.0.0.1 instead')
    .addOption(
      new Option('--port <port>', 'port of the web page (default: a free one)').argParser(
        wholeNumber('--port', 0, 65_535),
      ),
    )
    .option('--json', 'print each reply as one JSON object')
    .addHelpText(
      'after',
      `
In the terminal: one message per line; /reset forgets the conversation, /quit or Ctrl-D ends.
Piped input works too: one message per line, one reply each.

Settings: flags, then ALTEREGO_DATASET, ALTEREGO_CHAT_BACKEND, ALTEREGO_CHAT_MODEL,
ALTEREGO_CHAT_BASE_URL (or OPENAI_BASE_URL), ALTEREGO_CHAT_FALLBACK, ALTEREGO_CHAT_TIMEOUT_MS and
OPENAI_API_KEY (not needed for local servers), then "dataset" and "chat" in alterego.config.json.

Examples:
  $ alterego chat
  $ echo "free tonight?" | alterego chat --json
  $ alterego chat --backend fewshot --base-url http://localhost:11434/v1 --model llama3.2
  $ alterego chat --backend finetuned --fallback retrieval --web`,
    )
    .action(async (flags: ChatCommandFlags) => {
      const global = program.opts<{ config?: string }>();
      setResult(await chat({ ...flags, config: global.config }, io, dependencies));
    });
  return command;
}

async function defaultSession(settings: ChatSettings): Promise<ChatSession> {
  const { openChatSession } = await import('../chat/runtime.js');
  return openChatSession(settings);
}

/** Runs `alterego chat`; returns the exit code. */
export async function chat(
  flags: ChatCommandFlags,
  io: CliIO,
  dependencies: ChatDependencies = {},
): Promise<number> {
  let session: ChatSession | undefined;
  try {
    const settings = await chatSettings(flags, io);
    session = await (dependencies.openSession ?? defaultSession)(settings);
    if (flags.web) return await serveWeb(session, flags, io, dependencies);
    return await runTerminal(session, io, { json: Boolean(flags.json) });
  } catch (error) {
    throw translateChatError(error, io.signal);
  } finally {
    await session?.close();
  }
}

async function serveWeb(
  session: ChatSession,
  flags: ChatCommandFlags,
  io: CliIO,
  dependencies: ChatDependencies,
): Promise<number> {
  const web = await startWebChat({
    session,
    ...(flags.port === undefined ? {} : { port: flags.port }),
    onError: (error) => io.stderr.write(`${formatError(translateChatError(error), false)}\n`),
  });
  try {
    if (flags.json) io.stdout.write(`${JSON.stringify({ url: web.url, port: web.port })}\n`);
    else io.stdout.write(`${web.url}\n`);
    io.stderr.write(
      `Texting ${session.persona.name} (${session.backend}${session.model ? ` ${session.model}` : ''}) on this machine only: open the address above. Ctrl-C stops it.\n`,
    );
    dependencies.onListening?.(web.url);
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) =>
        io.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    return ExitCode.interrupted;
  } finally {
    await web.close();
  }
}
