/**
 * The simulated kernel virtual address space.
 *
 * Live allocations get addresses from size-class slots: class c (16 B .. 4 GiB) owns a 2^41-byte
 * span of kernel space cut into 2^c-byte slots, and slots are handed out in order and never reused.
 * So, without any ordered index, the base of the allocation that contains an address is one
 * division away (interior pointers, overruns), and an address whose slot was handed out but is no
 * longer mapped is known to be freed memory (use after free, double free) for the whole run. Traces
 * bring their own addresses ("foreign" regions): those live in the same table, and the rare
 * interior look-up for them (a failure path) scans. See docs/decisions.md, "Virtual addresses".
 */

/** 0xFFFFA00000000000 in the signed representation of machine/address.ts. */
export const KERNEL_VA_BASE = -0x600000000000;
const MIN_CLASS = 4;
const MAX_CLASS = 32;
const SPAN = 2 ** 41;
const KERNEL_VA_END = KERNEL_VA_BASE + (MAX_CLASS - MIN_CLASS + 1) * SPAN;
// Per-class tables, so the hot path does no exponentiation or division.
const SLOT_BYTES = new Float64Array(MAX_CLASS + 1);
const SLOT_COUNT = new Float64Array(MAX_CLASS + 1);
const SPAN_BASE = new Float64Array(MAX_CLASS + 1);
for (let c = MIN_CLASS; c <= MAX_CLASS; c++) {
  SLOT_BYTES[c] = 2 ** c;
  SLOT_COUNT[c] = SPAN / 2 ** c;
  SPAN_BASE[c] = KERNEL_VA_BASE + (c - MIN_CLASS) * SPAN;
}

/** Page size of the foreign-region index, and the span past which a region is listed, not indexed. */
const PAGE = 4096;
const LARGE_PAGES = 256;

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/** Foreign regions remembered after they are unmapped (a power of two: the ring index is masked). */
const UNMAPPED_HISTORY = 1024;

/** A mapped range of virtual memory (pool block, shared memory, ...). Engines extend it. */
export interface Region {
  /** Base virtual address. */
  readonly base: number;
  /** Bytes the owner asked for. */
  readonly length: number;
  /** Bytes from `base` that are mapped; access beyond faults. At least `length`. */
  readonly mapped: number;
  /** Real bytes, created on first access. */
  bytes: Uint8Array | null;
  /** The bytes from `length` to `mapped` are guard bytes, checked for writes (shared memory). */
  readonly guarded?: boolean;
}

/** Size class of a length: the smallest c >= 4 with 2^c >= length. */
function sizeClass(length: number): number {
  if (length <= 1 << MIN_CLASS) return MIN_CLASS;
  if (length > 0x80000000) return MAX_CLASS;
  return 32 - Math.clz32(length - 1);
}

/** The table of mapped regions and the slot allocator behind live addresses. */
export class VirtualSpace<R extends Region = Region> {
  private readonly regions = new Map<number | bigint, R>();
  private readonly nextSlot = new Float64Array(MAX_CLASS + 1);
  private foreign = 0;
  /** The last foreign regions unmapped (a ring): a trace's late access to one is "after free". */
  private readonly unmapped: (R | undefined)[] = [];
  private unmappedAt = 0;

  /** Number of mapped regions. */
  get size(): number {
    return this.regions.size;
  }

  /**
   * Reserves a fresh, never-used address for `length` bytes; 0 if the class's span is exhausted.
   * The slot is always larger than `length`, so an access just past the end lands in this slot
   * (an overrun of this allocation) and never in a neighbour's.
   */
  reserve(length: number): number {
    const c = sizeClass(length + 1);
    const slot = this.nextSlot[c];
    if (slot >= SLOT_COUNT[c]) return 0;
    this.nextSlot[c] = slot + 1;
    return SPAN_BASE[c] + slot * SLOT_BYTES[c];
  }

  /** Bytes a slot for `length` spans: the most that can be mapped at a reserved address. */
  static slotBytes(length: number): number {
    return SLOT_BYTES[sizeClass(length + 1)];
  }

  /** Maps a region at its base. */
  map(region: R): void {
    this.regions.set(region.base, region);
  }

  /** Maps a region whose address came from outside (a trace): any 64-bit value. */
  mapForeign(base: number | bigint, region: R): void {
    this.regions.set(base, region);
    this.foreign++;
    if (this.indexed) this.index(region, true);
  }

  /**
   * Foreign regions by the pages they span, so an interior address finds its region in O(1) (a
   * trace's `access` events): a region of more than LARGE_PAGES pages goes in a short list instead.
   */
  private readonly pages = new Map<number, R[]>();
  private readonly large: R[] = [];
  /** Built at the first interior look-up: a trace without `access` events never pays for it. */
  private indexed = false;

  private index(region: R, add: boolean): void {
    const base = region.base;
    if (typeof base !== 'number') return;
    const first = Math.floor(base / PAGE);
    const last = Math.floor((base + Math.max(1, region.mapped) - 1) / PAGE);
    if (last - first >= LARGE_PAGES) {
      if (add) this.large.push(region);
      else remove(this.large, region);
      return;
    }
    for (let page = first; page <= last; page++) {
      let list = this.pages.get(page);
      if (add) {
        if (list === undefined) {
          list = [];
          this.pages.set(page, list);
        }
        list.push(region);
      } else if (list !== undefined) {
        remove(list, region);
        if (list.length === 0) this.pages.delete(page);
      }
    }
  }

  /** Unmaps the region at `base`; its bytes are dropped. */
  unmap(region: R): void {
    if (this.regions.delete(region.base)) {
      region.bytes = null;
      // A replayed run maps only foreign regions; keep the count right so look-ups know to scan.
      if (this.foreign > 0) {
        this.foreign--;
        if (this.indexed) this.index(region, false);
        this.forget(region);
      }
    }
  }

  /** Unmaps a foreign region. */
  unmapForeign(base: number | bigint): void {
    const region = this.regions.get(base);
    if (region !== undefined && this.regions.delete(base)) {
      this.foreign--;
      if (this.indexed) this.index(region, false);
      this.forget(region);
    }
  }

  private forget(region: R): void {
    this.unmapped[this.unmappedAt] = region;
    this.unmappedAt = (this.unmappedAt + 1) & (UNMAPPED_HISTORY - 1);
  }

  /**
   * The foreign region among the last UNMAPPED_HISTORY unmapped whose mapped bytes hold `address`
   * (cold path: a trace's access that found no live region).
   */
  unmappedForeign(address: number): R | undefined {
    for (const region of this.unmapped) {
      if (region !== undefined && address >= region.base && address < region.base + region.mapped)
        return region;
    }
    return undefined;
  }

  /** The region mapped exactly at `base`, if any. */
  get(base: number | bigint): R | undefined {
    return this.regions.get(base);
  }

  /**
   * The region holding `address`; failing that, the region whose slot holds it (past its mapped
   * bytes: an overrun), if mapped.
   */
  containing(address: number | bigint): R | undefined {
    if (typeof address === 'number' && address >= KERNEL_VA_BASE && address < KERNEL_VA_END) {
      const c = MIN_CLASS + Math.floor((address - KERNEL_VA_BASE) / SPAN);
      const spanBase = SPAN_BASE[c];
      const offset = address - spanBase;
      const hit = this.regions.get(spanBase + offset - (offset % SLOT_BYTES[c]));
      if (this.foreign === 0) return hit;
      // A trace's regions need not sit at slot bases: the region at this slot's base may not be the
      // one holding the address. Only when none holds it is the access past the slot region's end.
      if (hit !== undefined) {
        if (address < hit.base + hit.mapped) return hit;
        return this.foreignContaining(address) ?? hit;
      }
    }
    if (this.foreign === 0 || typeof address !== 'number') return undefined;
    return this.foreignContaining(address);
  }

  private foreignContaining(address: number): R | undefined {
    if (!this.indexed) {
      this.indexed = true;
      for (const region of this.regions.values()) this.index(region, true);
    }
    const list = this.pages.get(Math.floor(address / PAGE));
    if (list !== undefined) {
      for (const region of list)
        if (address >= region.base && address < region.base + region.mapped) return region;
    }
    for (const region of this.large)
      if (address >= region.base && address < region.base + region.mapped) return region;
    return undefined;
  }

  /** True if `address` lies in a slot that was handed out and is no longer mapped (freed memory). */
  wasFreed(address: number | bigint): boolean {
    if (typeof address !== 'number' || address < KERNEL_VA_BASE || address >= KERNEL_VA_END) return false;
    const c = MIN_CLASS + Math.floor((address - KERNEL_VA_BASE) / SPAN);
    const spanBase = SPAN_BASE[c];
    const slot = Math.floor((address - spanBase) / SLOT_BYTES[c]);
    return slot < this.nextSlot[c] && !this.regions.has(spanBase + slot * SLOT_BYTES[c]);
  }

  /** Every mapped region (report and leak paths). */
  values(): IterableIterator<R> {
    return this.regions.values();
  }
}
