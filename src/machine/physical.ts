// The simulated physical address space: sparse, page-granular, with real bytes behind pages that
// have been written. Addresses are plain numbers (every physical address here is < 2^53).
//
// Free space is a sorted set of maximal free extents [start, start + length) in page units, never
// adjacent to each other (always coalesced). The set is a "chunked sorted list": an ordered array of
// blocks, each holding up to BLOCK_SPLIT extents in parallel number arrays plus the block's total
// and largest extent length. That keeps every operation O(log n + BLOCK_SPLIT) even with hundreds of
// thousands of extents (a single flat array would memmove the whole array on each insert/remove), and
// the per-block maximum lets an allocation scan skip whole blocks that cannot satisfy it.

/** Size of one physical page in bytes. */
export const PAGE_SIZE = 4096;
/** log2(PAGE_SIZE). */
export const PAGE_SHIFT = 12;
/** 4 GiB: the exclusive limit for a device that can only address 32 bits of physical memory. */
export const FOUR_GIB = 2 ** 32;

const DEFAULT_SIZE = 8 * 2 ** 30;
/** A block is split in two when it grows past this many extents. */
const BLOCK_SPLIT = 1024;

/** One physically contiguous run of pages returned by PhysicalMemory.allocateScattered. */
export interface PhysicalRun {
  /** Base byte address of the run (page-aligned, never 0). */
  address: number;
  /** Length of the run in pages. */
  pages: number;
}

/** Options for PhysicalMemory. */
export interface PhysicalMemoryOptions {
  /** Size of the address space in bytes: a multiple of PAGE_SIZE, at least 2 pages; default 8 GiB. */
  size?: number;
}

interface Block {
  /** Extent starts (page indices), ascending. */
  s: number[];
  /** Extent lengths (pages), parallel to s. */
  l: number[];
  /** Sum of l. */
  sum: number;
  /** Max of l. */
  max: number;
}

function newBlock(s: number[], l: number[]): Block {
  const blk: Block = { s, l, sum: 0, max: 0 };
  recompute(blk);
  return blk;
}

function recompute(blk: Block): void {
  let sum = 0;
  let max = 0;
  const l = blk.l;
  for (let k = 0; k < l.length; k++) {
    const v = l[k];
    sum += v;
    if (v > max) max = v;
  }
  blk.sum = sum;
  blk.max = max;
}

/** Sorted, coalesced set of free extents (internal). Positions are (block, index) pairs. */
class ExtentSet {
  readonly blocks: Block[] = [];
  count = 0;
  /** Cursor set by seekLE. */
  b = 0;
  i = 0;

  /** Points the cursor at the extent with the greatest start <= page; false if there is none. */
  seekLE(page: number): boolean {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    let bi = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid].s[0] <= page) {
        bi = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (bi < 0) return false;
    const s = blocks[bi].s;
    lo = 0;
    hi = s.length - 1;
    let ii = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid] <= page) {
        ii = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    this.b = bi;
    this.i = ii;
    return true;
  }

  set(b: number, i: number, start: number, len: number): void {
    const blk = this.blocks[b];
    const old = blk.l[i];
    blk.s[i] = start;
    blk.l[i] = len;
    blk.sum += len - old;
    if (len > blk.max) blk.max = len;
    else if (old === blk.max && len < old) recompute(blk);
  }

  /** Inserts so that the new extent ends up at index i of block b (i may equal the block length). */
  insert(b: number, i: number, start: number, len: number): void {
    this.count++;
    const blocks = this.blocks;
    if (blocks.length === 0) {
      blocks.push(newBlock([start], [len]));
      return;
    }
    const blk = blocks[b];
    if (i === blk.s.length) {
      blk.s.push(start);
      blk.l.push(len);
    } else {
      blk.s.splice(i, 0, start);
      blk.l.splice(i, 0, len);
    }
    blk.sum += len;
    if (len > blk.max) blk.max = len;
    if (blk.s.length > BLOCK_SPLIT) {
      const half = blk.s.length >>> 1;
      const right = newBlock(blk.s.slice(half), blk.l.slice(half));
      blk.s.length = half;
      blk.l.length = half;
      recompute(blk);
      blocks.splice(b + 1, 0, right);
    }
  }

  remove(b: number, i: number): void {
    this.count--;
    const blk = this.blocks[b];
    const len = blk.l[i];
    if (blk.s.length === 1) {
      this.blocks.splice(b, 1);
      return;
    }
    if (i === blk.s.length - 1) {
      blk.s.pop();
      blk.l.pop();
    } else {
      blk.s.splice(i, 1);
      blk.l.splice(i, 1);
    }
    blk.sum -= len;
    if (len === blk.max) recompute(blk);
  }

  /** Removes [base, base + n) from the extent at (b, i), which must contain it. */
  carve(b: number, i: number, base: number, n: number): void {
    const blk = this.blocks[b];
    const start = blk.s[i];
    const end = start + blk.l[i];
    const cutEnd = base + n;
    if (base === start) {
      if (cutEnd === end) this.remove(b, i);
      else this.set(b, i, cutEnd, end - cutEnd);
    } else {
      this.set(b, i, start, base - start);
      if (cutEnd < end) this.insert(b, i + 1, cutEnd, end - cutEnd);
    }
  }
}

/**
 * A sparse, page-granular simulated physical address space with top-down allocation and lazily
 * created real bytes.
 *
 * Allocation is TOP-DOWN: every allocation takes the highest-addressed pages that satisfy it. So a
 * device that can address 64 bits gets physical addresses above 4 GiB (when the machine has more than
 * 4 GiB), and a driver that truncates a physical address to 32 bits is caught at once instead of
 * working by luck, as it would with bottom-up allocation.
 *
 * Page 0 is reserved and never handed out (physical address 0 means "failed"/NULL in NDIS); it is
 * counted neither as free nor as used, so totalPages is size / PAGE_SIZE - 1.
 *
 * Exhaustion is a normal outcome (-1 or null). Invalid input (freeing or touching pages that are not
 * allocated, non-integer counts) is an internal invariant breach: RangeError. The engine validates
 * driver input before calling in.
 */
export class PhysicalMemory {
  /** Size of the address space in bytes. */
  readonly size: number;
  private readonly pageCount: number;
  private readonly extents = new ExtentSet();
  private freeCount: number;
  private readonly backing = new Map<number, Uint8Array>();

  /** Creates an address space of options.size bytes (default 8 GiB), all free except page 0. */
  constructor(options?: PhysicalMemoryOptions) {
    const size = options?.size ?? DEFAULT_SIZE;
    if (!Number.isSafeInteger(size) || size % PAGE_SIZE !== 0 || size < 2 * PAGE_SIZE) {
      throw new RangeError(`PhysicalMemory: size must be a multiple of ${PAGE_SIZE} of at least 2 pages`);
    }
    this.size = size;
    this.pageCount = size / PAGE_SIZE;
    this.freeCount = this.pageCount - 1;
    this.extents.insert(0, 0, 1, this.pageCount - 1);
  }

  /** Number of allocatable pages (every page but page 0). */
  get totalPages(): number {
    return this.pageCount - 1;
  }

  /** Number of free pages. */
  get freePages(): number {
    return this.freeCount;
  }

  /** Number of allocated pages. */
  get usedPages(): number {
    return this.pageCount - 1 - this.freeCount;
  }

  /** Number of maximal free extents (1 when nothing is allocated). */
  get extentCount(): number {
    return this.extents.count;
  }

  /** Number of pages that currently have real bytes behind them. */
  get backedPages(): number {
    return this.backing.size;
  }

  /**
   * Allocates `pages` contiguous pages lying entirely below byte address `limit` (exclusive; e.g.
   * FOUR_GIB or Infinity), taking the highest such range; returns its base address or -1.
   */
  allocateContiguous(pages: number, limit: number): number {
    checkPageCount(pages);
    const top = this.limitPage(limit);
    if (pages > this.freeCount || top - 1 < pages) return -1;
    const ex = this.extents;
    if (!ex.seekLE(top - 1)) return -1;
    const blocks = ex.blocks;
    let b = ex.b;
    let i = ex.i;
    // Only the first extent visited can straddle the limit; everything before it lies below.
    while (b >= 0) {
      const blk = blocks[b];
      if (blk.max >= pages) {
        const s = blk.s;
        const l = blk.l;
        for (; i >= 0; i--) {
          const start = s[i];
          let end = start + l[i];
          if (end > top) end = top;
          if (end - start >= pages) {
            const base = end - pages;
            ex.carve(b, i, base, pages);
            this.freeCount -= pages;
            return base * PAGE_SIZE;
          }
        }
      }
      b--;
      if (b >= 0) i = blocks[b].s.length - 1;
    }
    return -1;
  }

  /**
   * Allocates `pages` pages below `limit`, not necessarily contiguous, as runs of at most
   * `maxRunPages` pages, highest addresses first; returns the runs in descending address order, or
   * null (and allocates nothing) when fewer than `pages` pages are free below the limit.
   */
  allocateScattered(pages: number, limit: number, maxRunPages: number): PhysicalRun[] | null {
    checkPageCount(pages);
    if (!(maxRunPages >= 1) || (maxRunPages !== Infinity && !Number.isSafeInteger(maxRunPages))) {
      throw new RangeError(`PhysicalMemory: maxRunPages must be a positive integer, got ${maxRunPages}`);
    }
    const top = this.limitPage(limit);
    if (pages > this.freeCount || top - 1 < pages) return null;
    if (this.freeBelow(top, pages) < pages) return null;
    const ex = this.extents;
    const runs: PhysicalRun[] = [];
    let remaining = pages;
    while (remaining > 0) {
      // freeBelow guaranteed enough pages, so there is always an extent below the limit here.
      ex.seekLE(top - 1);
      const blk = ex.blocks[ex.b];
      const start = blk.s[ex.i];
      let end = start + blk.l[ex.i];
      if (end > top) end = top;
      const take = Math.min(remaining, end - start);
      ex.carve(ex.b, ex.i, end - take, take);
      remaining -= take;
      for (let runEnd = end; runEnd > end - take; ) {
        const n = Math.min(maxRunPages, runEnd - (end - take));
        runEnd -= n;
        runs.push({ address: runEnd * PAGE_SIZE, pages: n });
      }
    }
    this.freeCount -= pages;
    return runs;
  }

  /** Returns `pages` pages at `address` to the free pool and drops their bytes; RangeError unless wholly allocated. */
  free(address: number, pages: number): void {
    checkPageCount(pages);
    if (!Number.isSafeInteger(address) || address % PAGE_SIZE !== 0) {
      throw new RangeError(`PhysicalMemory.free: address ${address} is not page-aligned`);
    }
    const p = address / PAGE_SIZE;
    const end = p + pages;
    if (p < 1 || end > this.pageCount) {
      throw new RangeError(
        `PhysicalMemory.free: range at ${address} (${pages} pages) is outside allocatable memory`,
      );
    }
    const ex = this.extents;
    const blocks = ex.blocks;
    const hasLeft = ex.seekLE(end - 1);
    const lb = ex.b;
    const li = ex.i;
    let leftAdjacent = false;
    let rb = 0;
    let ri = 0;
    if (hasLeft) {
      const lEnd = blocks[lb].s[li] + blocks[lb].l[li];
      // The greatest free start below `end` must end at or before p, or part of the range is free.
      if (lEnd > p) {
        throw new RangeError(
          `PhysicalMemory.free: range at ${address} (${pages} pages) is not wholly allocated`,
        );
      }
      leftAdjacent = lEnd === p;
      if (li + 1 < blocks[lb].s.length) {
        rb = lb;
        ri = li + 1;
      } else {
        rb = lb + 1;
        ri = 0;
      }
    }
    const rightAdjacent = rb < blocks.length && blocks[rb].s[ri] === end;
    if (leftAdjacent && rightAdjacent) {
      const merged = blocks[lb].l[li] + pages + blocks[rb].l[ri];
      // Remove the right one first: it comes after the left one, so (lb, li) stays valid.
      ex.remove(rb, ri);
      ex.set(lb, li, blocks[lb].s[li], merged);
    } else if (leftAdjacent) {
      ex.set(lb, li, blocks[lb].s[li], blocks[lb].l[li] + pages);
    } else if (rightAdjacent) {
      ex.set(rb, ri, p, blocks[rb].l[ri] + pages);
    } else if (hasLeft) {
      ex.insert(lb, li + 1, p, pages);
    } else {
      ex.insert(0, 0, p, pages);
    }
    this.freeCount += pages;
    this.dropBacking(p, pages);
  }

  /** True when the page containing `address` is currently allocated (page 0 and out-of-range: false). */
  isAllocated(address: number): boolean {
    if (!(address >= 0 && address < this.size)) return false;
    const p = Math.floor(address / PAGE_SIZE);
    return p >= 1 && this.rangeAllocated(p, 1);
  }

  /** Copies target.length bytes starting at `address` into target; never-written bytes read as zero. */
  read(address: number, target: Uint8Array): void {
    const n = target.length;
    if (n === 0) return;
    this.checkAccess(address, n, 'read');
    const backing = this.backing;
    let off = 0;
    let addr = address;
    while (off < n) {
      const page = Math.floor(addr / PAGE_SIZE);
      const inPage = addr - page * PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - inPage, n - off);
      const bytes = backing.get(page);
      if (bytes === undefined) target.fill(0, off, off + chunk);
      else target.set(bytes.subarray(inPage, inPage + chunk), off);
      off += chunk;
      addr += chunk;
    }
  }

  /** Copies source into memory starting at `address`, creating a page's bytes on its first write. */
  write(address: number, source: Uint8Array): void {
    const n = source.length;
    if (n === 0) return;
    this.checkAccess(address, n, 'write');
    const backing = this.backing;
    let off = 0;
    let addr = address;
    while (off < n) {
      const page = Math.floor(addr / PAGE_SIZE);
      const inPage = addr - page * PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - inPage, n - off);
      let bytes = backing.get(page);
      if (bytes === undefined) {
        bytes = new Uint8Array(PAGE_SIZE);
        backing.set(page, bytes);
      }
      bytes.set(source.subarray(off, off + chunk), inPage);
      off += chunk;
      addr += chunk;
    }
  }

  /** First page index NOT usable under an exclusive byte limit. */
  private limitPage(limit: number): number {
    if (Number.isNaN(limit)) throw new RangeError('PhysicalMemory: limit is NaN');
    if (limit >= this.size) return this.pageCount;
    if (limit <= 0) return 0;
    // Page k spans [k * PAGE_SIZE, (k + 1) * PAGE_SIZE): it is below the limit iff k + 1 <= limit / PAGE_SIZE.
    return Math.floor(limit / PAGE_SIZE);
  }

  /** Free pages with index < top, counting only until `enough` is reached. */
  private freeBelow(top: number, enough: number): number {
    const ex = this.extents;
    if (!ex.seekLE(top - 1)) return 0;
    const blocks = ex.blocks;
    const blk = blocks[ex.b];
    let total = 0;
    for (let i = ex.i; i >= 0; i--) {
      const start = blk.s[i];
      total += Math.min(start + blk.l[i], top) - start;
    }
    for (let b = ex.b - 1; b >= 0 && total < enough; b--) total += blocks[b].sum;
    return total;
  }

  /** True when pages p .. p+n-1 (all within 1 .. pageCount-1) are all allocated. */
  private rangeAllocated(p: number, n: number): boolean {
    const ex = this.extents;
    if (!ex.seekLE(p + n - 1)) return true;
    const blk = ex.blocks[ex.b];
    return blk.s[ex.i] + blk.l[ex.i] <= p;
  }

  private checkAccess(address: number, n: number, what: string): void {
    if (!Number.isSafeInteger(address) || address < PAGE_SIZE || address + n > this.size) {
      throw new RangeError(`PhysicalMemory.${what}: ${n} bytes at ${address} are outside allocatable memory`);
    }
    const first = Math.floor(address / PAGE_SIZE);
    const last = Math.floor((address + n - 1) / PAGE_SIZE);
    if (!this.rangeAllocated(first, last - first + 1)) {
      throw new RangeError(`PhysicalMemory.${what}: ${n} bytes at ${address} touch unallocated pages`);
    }
  }

  private dropBacking(p: number, pages: number): void {
    const backing = this.backing;
    if (backing.size === 0) return;
    if (pages <= backing.size) {
      for (let k = p; k < p + pages; k++) backing.delete(k);
    } else {
      // Freeing a huge, mostly unwritten range: walk the (smaller) map instead of the range.
      const end = p + pages;
      for (const k of backing.keys()) if (k >= p && k < end) backing.delete(k);
    }
  }
}

function checkPageCount(pages: number): void {
  if (!Number.isSafeInteger(pages) || pages < 1) {
    throw new RangeError(`PhysicalMemory: page count must be a positive integer, got ${pages}`);
  }
}
