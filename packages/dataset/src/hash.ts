/**
 * Two independent 32-bit hashes (a variant of cyrb53), seeded, of up to two numbers and then a
 * string's characters, fed one after another without joining them (no string is made for each
 * of millions of messages). Together they make a 64-bit fingerprint: collisions among millions
 * of messages are vanishingly rare.
 */
function mix(seed: number, text: string, first?: number, second?: number): [number, number] {
  let a = 0xdeadbeef ^ seed;
  let b = 0x41c6ce57 ^ seed;
  if (first !== undefined && second !== undefined) {
    a = Math.imul(a ^ first, 2654435761);
    b = Math.imul(b ^ first, 1597334677);
    a = Math.imul(a ^ second, 2654435761);
    b = Math.imul(b ^ second, 1597334677);
  }
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 2654435761);
    b = Math.imul(b ^ code, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  return [a >>> 0, b >>> 0];
}

/** The 64-bit fingerprint of a string, as two 32-bit halves. */
export function hashPair(text: string, seed = 0): [number, number] {
  return mix(seed, text);
}

/** The fingerprint of a message by instant (ms), side and text. */
export function hashMessage(time: number, self: boolean, text: string): [number, number] {
  // The instant as two 32-bit halves: exact for every date a message can have.
  const high = Math.floor(time / 0x1_0000_0000);
  return mix(self ? 1 : 2, text, high, time - high * 0x1_0000_0000);
}

/** A number in [0, 1) fixed by the text and the seed: the same inputs always give the same draw. */
export function hashUnit(text: string, seed: number): number {
  const [high, low] = hashPair(text, seed);
  return (high * 2 ** 21 + (low >>> 11)) / 2 ** 53;
}

/**
 * A set of 64-bit fingerprints in two typed arrays (open addressing): about 16 bytes per entry,
 * so a million messages take 16 MB instead of the hundreds a Set of strings would.
 */
export class FingerprintSet {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the fingerprint; false when it was already there. */
  add(high: number, low: number): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    const mask = this.used.length - 1;
    let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask;
    while (this.used[slot] === 1) {
      if (this.high[slot] === high && this.low[slot] === low) return false;
      slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.high[slot] = high;
    this.low[slot] = low;
    this.count += 1;
    return true;
  }

  has(high: number, low: number): boolean {
    const mask = this.used.length - 1;
    let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask;
    while (this.used[slot] === 1) {
      if (this.high[slot] === high && this.low[slot] === low) return true;
      slot = (slot + 1) & mask;
    }
    return false;
  }

  private grow(): void {
    const { high, low, used } = this;
    const capacity = used.length * 2;
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot += 1) {
      if (used[slot] === 1) this.add(high[slot]!, low[slot]!);
    }
  }
}
