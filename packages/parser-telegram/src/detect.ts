/** How much of a file is read to recognise an export. */
export const HEAD_BYTES = 64 * 1024;

/** Chat types Telegram Desktop writes in `type`. */
const CHAT_TYPES =
  /"type"\s*:\s*"(?:personal_chat|bot_chat|private_group|private_supergroup|public_supergroup|private_channel|public_channel|saved_messages)"/;

/** Files that are never a JSON export: the media that sits beside one. */
const MEDIA =
  /\.(?:jpe?g|png|gif|webp|tgs|webm|mp4|mov|mp3|m4a|ogg|oga|opus|wav|pdf|zip|html?|css|js)$/i;

/** Whether an entry is worth reading the head of. */
export function mayBeExport(name: string): boolean {
  return !MEDIA.test(name);
}

export type ExportShape = 'chat' | 'account';

/**
 * What the start of a file says it is: a single chat's export (a chat `type` and a `messages`
 * array at the top), the whole-account export (`personal_information` or `chats` with a
 * `list`), or neither. Reads the JSON keys, never the file name.
 */
export function exportShape(head: Buffer): ExportShape | undefined {
  let text = head.toString('utf8', 0, Math.min(head.length, HEAD_BYTES));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/^\s*\{/.test(text)) return undefined;
  if (
    /"personal_information"\s*:\s*\{/.test(text) ||
    /"chats"\s*:\s*\{\s*"about"\s*:\s*"[^"]*"\s*,\s*"list"\s*:\s*\[/.test(text) ||
    /"chats"\s*:\s*\{\s*"list"\s*:\s*\[/.test(text)
  ) {
    return 'account';
  }
  if (CHAT_TYPES.test(text) && /"messages"\s*:\s*\[/.test(text)) return 'chat';
  return undefined;
}
