import { describe, expect, it } from 'vitest';
import { EMPTY_TWIML, escapeXml, messagingTwiml } from './twiml.js';

describe('messagingTwiml', () => {
  it('answers nothing with an empty Response', () => {
    expect(messagingTwiml([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(EMPTY_TWIML).toBe(messagingTwiml([]));
  });

  it('sends one Message per bubble, in order', () => {
    expect(messagingTwiml(['Hello', 'see you'])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hello</Message><Message>see you</Message></Response>',
    );
  });

  it('escapes markup and keeps emoji', () => {
    expect(messagingTwiml([`<b>&"it's"</b> 😀`])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>&lt;b&gt;&amp;&quot;it&apos;s&quot;&lt;/b&gt; 😀</Message></Response>',
    );
  });

  it('cannot be broken out of by a reply that looks like TwiML', () => {
    const xml = messagingTwiml(['</Message><Redirect>https://evil.example</Redirect><Message>']);
    expect(xml.match(/<Message>/g)).toHaveLength(1);
    expect(xml).not.toContain('<Redirect>');
  });
});

describe('escapeXml', () => {
  it('drops characters XML cannot hold and keeps the rest', () => {
    expect(escapeXml('a\u0000b\u0008c\td\ne\uFFFEf\uD800g')).toBe('abc\td\nefg');
    expect(escapeXml('héllo 你好 👍🏽')).toBe('héllo 你好 👍🏽');
  });
});
