// Helpers of the tests: settings, a stand-in chat, and requests signed as Twilio signs them.
import type { ChatReply, Counterpart } from '@alterego/chat';
import type { SmsChat } from '../chat-factory.js';
import { parseSmsConfig, type SmsConfig, type SmsConfigFile } from '../config.js';
import { computeTwilioSignature } from '../signature.js';

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const PUBLIC_URL = 'https://alterego.example.ngrok.app';
export const TWILIO_NUMBER = '+15550009999';
export const FRIEND = '+15550001111';
export const OTHER_FRIEND = '+15550002222';
export const STRANGER = '+15550003333';

/** Settings for a test server: two allowed friends, one route, nothing on disk, no logs. */
export function testConfig(
  file: SmsConfigFile = {},
  env: NodeJS.ProcessEnv = {},
): SmsConfig {
  return parseSmsConfig(
    {
      publicUrl: PUBLIC_URL,
      allow: [FRIEND, OTHER_FRIEND],
      routes: { '*': { dataset: '/datasets/sam' } },
      memoryFile: ':memory:',
      logLevel: 'silent',
      ...file,
    },
    { env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN, ...env }, baseDir: '/' },
  );
}

export interface FakeChat extends SmsChat {
  calls: { counterpart: Counterpart; messages: string | readonly string[] }[];
  closed: number;
}

/** A chat that answers with `answer(text)` after `delayMs` (0: at once), and records its calls. */
export function fakeChat(
  answer: (text: string) => string[] | Promise<string[]> = (text) => [`you said: ${text}`],
  delayMs = 0,
): FakeChat {
  const chat: FakeChat = {
    calls: [],
    closed: 0,
    async reply(counterpart, messages) {
      chat.calls.push({ counterpart, messages });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const text = typeof messages === 'string' ? messages : messages.join('\n');
      const bubbles = await answer(text);
      const reply: ChatReply = { bubbles, backend: 'fake', elapsedMs: delayMs };
      return reply;
    },
    close() {
      chat.closed += 1;
    },
  };
  return chat;
}

let sidCounter = 0;

/** An inbound SMS's parameters as Twilio posts them. */
export function inbound(
  body: string,
  from: string = FRIEND,
  extra: Record<string, string> = {},
): Record<string, string> {
  sidCounter += 1;
  const sid = `SM${sidCounter.toString(16).padStart(32, '0')}`;
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: sid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: body,
    FromCountry: 'US',
    To: TWILIO_NUMBER,
    ToZip: '94105',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

/** An inject request Twilio would send: the form and its X-Twilio-Signature for `url`. */
export function signedRequest(
  params: Record<string, string>,
  options: { url?: string; path?: string; token?: string; headers?: Record<string, string> } = {},
) {
  const path = options.path ?? '/sms';
  const url = options.url ?? `${PUBLIC_URL}${path}`;
  return {
    method: 'POST' as const,
    url: path,
    payload: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': computeTwilioSignature(options.token ?? AUTH_TOKEN, url, params),
      ...options.headers,
    },
  };
}

/** The bubbles of a TwiML answer, unescaped. */
export function messagesOf(twiml: string): string[] {
  return [...twiml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) =>
    (match[1] ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}
