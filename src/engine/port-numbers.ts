/**
 * Port numbers of one adapter: NDIS assigns the lowest available number from 1 upward and reuses
 * freed ones [identifying-an-ndis-port]. A hierarchical bitmap makes both ends cheap up to the
 * full range of 0xFFFFFF numbers: level 0 has one bit per number (1 = in use), and each bit of
 * level k+1 says that the 32-bit word below it is full. Finding the lowest free number walks one
 * word per level (at most 5 for 2^24 numbers), picking the lowest clear bit with Math.clz32.
 *
 * The bitmap covers only what has been needed (lowest-free numbering keeps the highest number in
 * use at or below the peak count) and doubles when full, so an adapter with a handful of ports
 * costs a few hundred bytes, not the 2 MiB of the full range.
 */

const FULL = 0xffffffff;
const INITIAL_BITS = 1024;

/** Index of the lowest clear bit of a word that is not full. */
function lowestClear(word: number): number {
  const free = ~word;
  return 31 - Math.clz32(free & -free);
}

/** The numbers in use (and free) below a fixed limit; number 0 is never handed out. */
export class PortNumbers {
  /** Numbers in use, number 0 excluded. */
  count = 0;
  private levels: Uint32Array[] = [];
  private capacity = 0;
  /** Capacity at which the bitmap stops growing: the limit rounded up to a power of two ≥ 1024. */
  private readonly maxCapacity: number;

  /** Numbers 1..limit-1 can be allocated (NDIS_MAXIMUM_PORTS = 0x1000000 by default). */
  constructor(readonly limit: number = 0x1000000) {
    let max = INITIAL_BITS;
    while (max < limit) max *= 2;
    this.maxCapacity = max;
    this.build(Math.min(INITIAL_BITS, max), null);
  }

  /** True if `n` is in use (0 is always reported in use: the default port is not numbered here). */
  has(n: number): boolean {
    if (n === 0) return true;
    if (!(n > 0 && n < this.limit)) return false;
    if (n >= this.capacity) return false;
    return (this.levels[0][n >>> 5] & (1 << (n & 31))) !== 0;
  }

  /** The lowest free number, or 0 when all of 1..limit-1 are in use. Marks it in use. */
  allocate(): number {
    let n = this.lowestFree();
    if (n === 0) {
      if (this.capacity >= this.maxCapacity) return 0;
      this.build(this.capacity * 2, this.levels[0]);
      n = this.lowestFree();
      if (n === 0) return 0;
    }
    this.set(n);
    this.count++;
    return n;
  }

  /**
   * Marks `n` in use, as a trace says NDIS assigned it (replay: NDIS chose the number, not this
   * allocator). False, and nothing marked, if `n` is 0, at or above the limit, or already in use.
   */
  take(n: number): boolean {
    if (!(Number.isInteger(n) && n > 0 && n < this.limit) || this.has(n)) return false;
    while (n >= this.capacity) this.build(this.capacity * 2, this.levels[0]);
    this.set(n);
    this.count++;
    return true;
  }

  /** Releases `n`; false if it was not in use. */
  free(n: number): boolean {
    if (n === 0 || !this.has(n)) return false;
    this.clear(n);
    this.count--;
    return true;
  }

  /** The lowest free number within the current capacity, or 0 if there is none. */
  private lowestFree(): number {
    const levels = this.levels;
    let at = levels.length - 1;
    if (levels[at][0] === FULL) return 0;
    let index = 0;
    for (; at >= 0; at--) index = index * 32 + lowestClear(levels[at][index]);
    return index;
  }

  private set(n: number): void {
    const levels = this.levels;
    let index = n;
    for (let at = 0; at < levels.length; at++) {
      const level = levels[at];
      const word = index >>> 5;
      level[word] |= 1 << (index & 31);
      if (level[word] !== FULL) return;
      index = word;
    }
  }

  private clear(n: number): void {
    const levels = this.levels;
    let index = n;
    for (let at = 0; at < levels.length; at++) {
      const level = levels[at];
      const word = index >>> 5;
      const wasFull = level[word] === FULL;
      level[word] &= ~(1 << (index & 31));
      if (!wasFull) return;
      index = word;
    }
  }

  /**
   * (Re)builds every level for `capacity` bits from the leaf words `leaves` (null: all free). Bit 0
   * (the default port) and the bits at or above the limit are marked in use so they are never
   * found; summary bits past the last word below them count as full for the same reason.
   */
  private build(capacity: number, leaves: Uint32Array | null): void {
    const levels: Uint32Array[] = [];
    let words = capacity >>> 5; // ≥ 32: the top level is always a summary word
    const leaf = new Uint32Array(words);
    if (leaves !== null) leaf.set(leaves);
    leaf[0] |= 1;
    for (let n = Math.max(this.limit, this.capacity); n < capacity; n++) {
      if ((n & 31) === 0 && n + 32 <= capacity) {
        leaf[n >>> 5] = FULL;
        n += 31;
      } else {
        leaf[n >>> 5] |= 1 << (n & 31);
      }
    }
    levels.push(leaf);
    let below = leaf;
    while (words > 1) {
      const upperWords = Math.ceil(words / 32);
      const upper = new Uint32Array(upperWords);
      for (let i = 0; i < upperWords * 32; i++) {
        if (i >= words || below[i] === FULL) upper[i >>> 5] |= 1 << (i & 31);
      }
      levels.push(upper);
      below = upper;
      words = upperWords;
    }
    this.levels = levels;
    this.capacity = capacity;
  }
}
