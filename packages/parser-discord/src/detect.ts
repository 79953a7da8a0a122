/** How much of a file is read to recognise an export. */
export const HEAD_BYTES = 64 * 1024;

/** Files that are never a JSON export: the media that DiscordChatExporter downloads beside one. */
const MEDIA =
  /\.(?:jpe?g|png|gif|webp|svg|mp4|mov|webm|mp3|ogg|wav|m4a|pdf|zip|html?|css|js|txt|csv)$/i;

/** Whether an entry is worth reading the head of. */
export function mayBeExport(name: string): boolean {
  return !MEDIA.test(name);
}

/**
 * Whether the start of a file is a DiscordChatExporter JSON export: an object with `guild` and
 * `channel` objects (written first) and `dateRange` or `messages`, or, in a file that puts them
 * after the messages, messages with DiscordChatExporter's keys (`author`, `timestampEdited`).
 * Reads the JSON keys, never the file name.
 */
export function looksLikeExport(head: Buffer): boolean {
  let text = head.toString('utf8', 0, Math.min(head.length, HEAD_BYTES));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/^\s*\{/.test(text)) return false;
  const header =
    /"guild"\s*:\s*\{/.test(text) &&
    /"channel"\s*:\s*\{/.test(text) &&
    (/"messages"\s*:\s*\[/.test(text) || /"dateRange"\s*:/.test(text));
  const messages =
    /"messages"\s*:\s*\[\s*\{/.test(text) &&
    /"timestampEdited"\s*:/.test(text) &&
    /"author"\s*:\s*\{/.test(text);
  return header || messages;
}
