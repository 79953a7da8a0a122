import { createInterface } from 'node:readline';
import { type ChatReply, type Counterpart, stripControls } from '@alterego/chat';
import { formatError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, writeOut } from '../io.js';
import { translateChatError } from './errors.js';
import type { ChatSession } from './session.js';

/** The memory key of the terminal conversation. */
export const TERMINAL_COUNTERPART: Counterpart = { id: 'terminal' };

export const PROMPT = 'you> ';

export interface TerminalOptions {
  /** One JSON object per reply on stdout instead of the persona's lines. */
  json?: boolean;
  /** Whether the input is a terminal (prompts, a typing line, errors that do not end the chat). */
  interactive?: boolean;
}

/** The lines a reply prints as: the persona's name before each bubble. */
export function replyLines(name: string, reply: ChatReply): string {
  // Replies come from model servers and exported chats: nothing in them may drive the terminal.
  return reply.bubbles
    .map((bubble) => `${stripControls(name)}> ${stripControls(bubble).replace(/\n/g, ' ')}\n`)
    .join('');
}

/**
 * Talks with the persona on the terminal: one message per line, `/reset` forgets the
 * conversation, `/quit` or Ctrl-D ends (0), Ctrl-C ends (130). On piped input there are no
 * prompts and the first error ends the run; on a terminal an error is shown and the chat goes on.
 */
export async function runTerminal(
  session: ChatSession,
  io: CliIO,
  options: TerminalOptions = {},
): Promise<number> {
  const input = io.stdin;
  if (input === undefined) throw new Error('no standard input to read messages from');
  const interactive = options.interactive ?? Boolean(input.isTTY);
  const name = session.persona.name;
  const typing = interactive && Boolean(io.stderr.isTTY);
  const rl = createInterface({
    input,
    ...(interactive ? { output: io.stdout, terminal: true, prompt: PROMPT } : { terminal: false }),
  });
  const controller = new AbortController();
  let interrupted = io.signal.aborted;
  const interrupt = () => {
    interrupted = true;
    controller.abort();
    rl.close();
  };
  io.signal.addEventListener('abort', interrupt, { once: true });
  // On a terminal in raw mode Ctrl-C reaches readline, not the process.
  rl.on('SIGINT', interrupt);

  if (interactive) {
    io.stderr.write(
      `Texting ${name} (${session.backend}${session.model ? ` ${session.model}` : ''}). /reset forgets the conversation, /quit ends.\n`,
    );
    rl.prompt();
  }
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line === '/reset') {
        await session.reset(TERMINAL_COUNTERPART.id);
        if (interactive) io.stderr.write(`(${name} has forgotten this conversation)\n`);
      } else if (line === '/help') {
        io.stderr.write('/reset forgets the conversation, /quit (or Ctrl-D) ends\n');
      } else if (line !== '') {
        if (typing) io.stderr.write(`${name} is typing…`);
        let reply: ChatReply;
        try {
          reply = await session.reply(TERMINAL_COUNTERPART, line, { signal: controller.signal });
        } catch (error) {
          if (typing) io.stderr.write('\r\u001b[K');
          if (interrupted) break;
          const translated = translateChatError(error);
          if (!interactive) throw translated;
          io.stderr.write(`${formatError(translated, false)}\n`);
          rl.prompt();
          continue;
        }
        if (typing) io.stderr.write('\r\u001b[K');
        if (options.json) {
          await writeOut(io.stdout, `${JSON.stringify(reply)}\n`);
        } else {
          await writeOut(io.stdout, replyLines(name, reply));
          if (reply.fallbackReason !== undefined) {
            io.stderr.write(`note: ${reply.backend} answered: ${reply.fallbackReason}\n`);
          }
        }
      }
      if (interactive) rl.prompt();
    }
  } finally {
    io.signal.removeEventListener('abort', interrupt);
    rl.close();
  }
  if (interrupted) {
    if (interactive) io.stdout.write('\n');
    return ExitCode.interrupted;
  }
  return ExitCode.ok;
}
