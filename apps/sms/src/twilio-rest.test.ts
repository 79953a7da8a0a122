import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN } from './__fixtures__/sms.js';
import { startTwilioEmulator, type TwilioEmulator } from './__fixtures__/twilio-emulator.js';
import { sendTwilioMessage, TwilioApiError } from './twilio-rest.js';

const emulators: TwilioEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function emulator(): Promise<TwilioEmulator> {
  const started = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  emulators.push(started);
  return started;
}

const MESSAGE = { from: '+15550009999', to: '+15550001111', body: 'hey & <you> 😀' };

describe('sendTwilioMessage', () => {
  it('posts To, From and Body with Basic auth and returns the sid', async () => {
    const api = await emulator();
    const sid = await sendTwilioMessage(MESSAGE, {
      apiBase: `${api.url}/`,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
    });
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(api.messages).toEqual([{ sid, accountSid: ACCOUNT_SID, ...MESSAGE }]);
  });

  it('retries 429 and 5xx, then gives up with the last status', async () => {
    const api = await emulator();
    api.failNext(500, 3);
    const error = await sendTwilioMessage(MESSAGE, {
      apiBase: api.url,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      attempts: 3,
      backoffMs: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect((error as TwilioApiError).status).toBe(500);
    expect(api.statuses).toEqual([500, 500, 500]);
    expect(api.messages).toHaveLength(0);
  });

  it('does not retry a refusal, and never puts the text or numbers in the error', async () => {
    const api = await emulator();
    const error = await sendTwilioMessage(MESSAGE, {
      apiBase: api.url,
      accountSid: ACCOUNT_SID,
      authToken: 'wrong-token',
      backoffMs: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, code: 20003, permanent: true });
    expect(api.statuses).toEqual([401]);
    expect((error as Error).message).toBe('the Twilio API answered HTTP 401 (error 20003)');
  });

  it('retries a server it cannot reach', async () => {
    const api = await emulator();
    const url = api.url;
    await api.close();
    emulators.length = 0;
    const error = await sendTwilioMessage(MESSAGE, {
      apiBase: url,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      attempts: 2,
      backoffMs: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0, message: 'could not reach the Twilio API' });
  });
});
