// Seeded pseudo-random numbers for the simulated machine: sfc32 (Chris Doty-Humphrey's Small Fast
// Chaotic generator, 128-bit state with a 32-bit counter, so every stream has period >= 2^32),
// seeded through splitmix32 so that nearby seeds (0, 1, 2, ...) give unrelated streams.
// Pure 32-bit integer arithmetic: identical results on every JavaScript engine.

const TWO_POW_32 = 4294967296;

/** Mixes a 32-bit word through the murmur3/splitmix32 finaliser (a bijection on 32-bit words). */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds a safe integer (possibly negative or wider than 32 bits) into one 32-bit word. */
function foldSeed(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Random: ${what} must be a safe integer, got ${value}`);
  }
  const lo = value >>> 0;
  const hi = Math.floor(value / TWO_POW_32) >>> 0;
  // Values in 0 .. 2^32-1 have hi === 0 and map to themselves, so every 32-bit seed is distinct.
  return (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
}

/** A small, fast, deterministic PRNG (sfc32 seeded via splitmix32): same seed, same sequence. */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Creates a generator from a seed (any safe integer; 32-bit seeds all give distinct streams). */
  constructor(seed: number) {
    let s = foldSeed(seed, 'seed');
    s = (s + 0x9e3779b9) | 0;
    const w0 = mix32(s);
    s = (s + 0x9e3779b9) | 0;
    const w1 = mix32(s);
    s = (s + 0x9e3779b9) | 0;
    const w2 = mix32(s);
    s = (s + 0x9e3779b9) | 0;
    const w3 = mix32(s);
    this.setState(w0, w1, w2, w3);
  }

  private setState(a: number, b: number, c: number, d: number): void {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // The recommended warm-up for sfc32: lets the chaotic state diffuse before the first output.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Returns the next value as an unsigned 32-bit integer in 0 .. 2^32-1. */
  nextU32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = (this.d + 1) | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.d = d;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Returns a number in [0, 1) with 32 bits of randomness (consumes exactly one nextU32). */
  next(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Returns an unbiased integer in 0 .. maxExclusive-1; maxExclusive is an integer in 1 .. 2^32. */
  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > TWO_POW_32) {
      throw new RangeError(`Random.int: maxExclusive must be an integer in 1 .. 2^32, got ${maxExclusive}`);
    }
    if (maxExclusive === TWO_POW_32) return this.nextU32();
    // Rejection sampling: discard the top partial bucket so every result is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % maxExclusive);
    let r = this.nextU32();
    while (r >= limit) r = this.nextU32();
    return r % maxExclusive;
  }

  /** Returns true with probability p (p <= 0 never, p >= 1 always); consumes exactly one nextU32. */
  chance(p: number): boolean {
    if (Number.isNaN(p)) throw new RangeError('Random.chance: p is NaN');
    return this.next() < p;
  }

  /**
   * Returns an independent deterministic stream derived from this generator's current state and the
   * salt, WITHOUT advancing this generator (so adding a fork never perturbs the parent's sequence).
   * Forking twice with the same salt from the same state gives the same stream.
   */
  fork(salt: number): Random {
    let s = foldSeed(salt, 'salt');
    const child = Object.create(Random.prototype) as Random;
    // Each child word mixes one parent word with one word of a splitmix32 stream seeded by the salt.
    s = (s + 0x9e3779b9) | 0;
    const w0 = mix32(this.a ^ mix32(s));
    s = (s + 0x9e3779b9) | 0;
    const w1 = mix32(this.b ^ mix32(s));
    s = (s + 0x9e3779b9) | 0;
    const w2 = mix32(this.c ^ mix32(s));
    s = (s + 0x9e3779b9) | 0;
    const w3 = mix32(this.d ^ mix32(s));
    child.setState(w0, w1, w2, w3);
    return child;
  }
}
