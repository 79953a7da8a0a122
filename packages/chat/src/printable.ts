/**
 * Text safe to print on a terminal: without the characters that would drive it (escape sequences
 * and the other C0/C1 controls, except tab and newline) or reorder what is shown (bidirectional
 * overrides and isolates). Replies come from model servers and from exported chats: neither is
 * trusted to print as it is.
 */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}
