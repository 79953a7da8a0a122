/**
 * The form a handle is kept in: e-mail addresses in lower case, phone numbers as `+` and digits
 * (or digits alone when the database has no country code), anything else (short codes,
 * business ids) trimmed and otherwise as stored.
 */
export function normalizeHandle(handle: string): string {
  const trimmed = handle.trim();
  if (trimmed.includes('@') && !/\s/.test(trimmed)) return trimmed.toLowerCase();
  if (/^\+?[\d\s().\-/]{3,}$/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    if (digits.length >= 3) return trimmed.startsWith('+') ? `+${digits}` : digits;
  }
  return trimmed;
}

/** True for a handle that is a phone number. */
export function isPhoneHandle(handle: string): boolean {
  return /^\+?\d{3,}$/.test(handle);
}
