const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escapes text for XML element content and attributes. Characters XML 1.0 forbids (most C0
 * controls, lone surrogates, U+FFFE/U+FFFF) are dropped, so a model's output can never make the
 * document invalid.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** TwiML that makes Twilio send nothing. */
export const EMPTY_TWIML = `${XML_DECLARATION}<Response/>`;

/** TwiML that sends each bubble as its own SMS, in order; empty TwiML when there are none. */
export function messagingTwiml(bubbles: readonly string[]): string {
  if (bubbles.length === 0) return EMPTY_TWIML;
  let xml = `${XML_DECLARATION}<Response>`;
  for (const bubble of bubbles) xml += `<Message>${escapeXml(bubble)}</Message>`;
  return `${xml}</Response>`;
}
