/**
 * General memory: NdisAllocateMemoryWithTagPriority and the three frees (SPEC §3, D2, D32, D33).
 * The engine decides outcomes; rules (src/verifier/rules/pool-*.ts) observe the check points.
 */
import type { Region } from '../machine/virtual.js';
import { FreeOutcome, type PoolAllocateEvent, type PoolFreeEvent } from '../verifier/events.js';
import { captureSite, type SiteCapture } from '../verifier/site.js';
import type { Engine } from './engine.js';
import { poolPressureFails } from './faults.js';
import { Accounting, type NdisObject, resolveHandle } from './objects.js';

/** True for a value a ULONG/UINT parameter can hold. */
export function isUlong(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/** A live or freed block of nonpaged pool. */
export class PoolBlock implements Region {
  bytes: Uint8Array | null = null;
  constructor(
    readonly base: number,
    readonly length: number,
    readonly tag: number,
    readonly priority: number,
    readonly owner: NdisObject,
    readonly tagAccounting: Accounting,
    /** Ordinal of the allocating call in the run (see faults.ts). */
    readonly ordinal: number,
    readonly site: SiteCapture | null,
  ) {}
  /** Special pool puts the block's end at the end of a page: any access past `length` faults. */
  get mapped(): number {
    return this.length;
  }
}

/** Power of two, so the ring index wraps with a mask. */
const FREED_HISTORY = 4096;
const FREED_MASK = FREED_HISTORY - 1;

/** The general-memory family of one engine. */
export class GeneralMemory {
  /** All pool memory of the run. */
  readonly total = new Accounting();
  /** Accounting per pool tag. */
  readonly byTag = new Map<number, Accounting>();
  /** Most recent frees, for double-free details when the address alone cannot tell (foreign addresses). */
  private readonly freedRing: (PoolBlock | undefined)[] = new Array(FREED_HISTORY);
  private freedAt = 0;
  private lastTag = -1;
  private lastTagAccounting: Accounting | undefined = undefined;
  private readonly allocateEvent: PoolAllocateEvent = {
    ddi: 'NdisAllocateMemoryWithTagPriority',
    irql: 0,
    NdisHandle: null,
    Length: 0,
    Tag: 0,
    Priority: 0,
    owner: null,
  };
  private readonly freeEvent: PoolFreeEvent = {
    ddi: '',
    irql: 0,
    NdisHandle: null,
    VirtualAddress: 0,
    Length: 0,
    MemoryFlags: 0,
    Tag: 0,
    hasTag: false,
    hasHandle: false,
    handleOwner: null,
    block: null,
    outcome: FreeOutcome.Unknown,
  };

  constructor(private readonly engine: Engine) {}

  /**
   * NdisAllocateMemoryWithTagPriority: the block's base address, or NULL (0). `replayed` is the
   * address a trace says the call returned (0 for a failed call): the engine then takes the
   * outcome from the trace instead of deciding it (no pressure model, no fault hook).
   */
  allocate(NdisHandle: unknown, Length: unknown, Tag: unknown, Priority: unknown, replayed?: number): number {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisHandle);
    const e = this.allocateEvent;
    e.irql = engine.context.irql;
    e.NdisHandle = NdisHandle;
    e.Length = Length;
    e.Tag = Tag;
    e.Priority = Priority;
    e.owner = owner;
    engine.verifier.on.poolAllocate(engine.verifier, e);
    if (owner === null || !isUlong(Length) || !isUlong(Tag) || !isUlong(Priority)) return 0;

    // Counted either way; the hook is asked only when the pool itself can satisfy a live call.
    const live = replayed === undefined;
    const pressure = live && poolPressureFails(engine.poolModel, this.total.liveBytes, Length, Priority);
    const ordinal = engine.allocationCall(
      'NdisAllocateMemoryWithTagPriority',
      owner,
      Length,
      Tag,
      Priority,
      live && !pressure,
    );
    if (!live) return this.replayAllocation(owner, Length, Tag, Priority, ordinal, replayed);
    if (pressure || ordinal < 0) return 0;
    const base = engine.virtual.reserve(Length);
    if (base === 0) return 0;
    this.track(base, owner, Length, Tag, Priority, ordinal, false);
    return base;
  }

  /** Replay: the trace's outcome; a block at the trace's address (a foreign region). */
  private replayAllocation(
    owner: NdisObject,
    Length: number,
    Tag: number,
    Priority: number,
    ordinal: number,
    address: number,
  ): number {
    if (address === 0) return 0;
    this.track(address, owner, Length, Tag, Priority, ordinal, true);
    return address;
  }

  private track(
    base: number,
    owner: NdisObject,
    Length: number,
    Tag: number,
    Priority: number,
    ordinal: number,
    foreign: boolean,
  ): void {
    const engine = this.engine;
    // Drivers allocate with the same tag in bursts: remember the last one to skip the look-up.
    let tagAccounting = this.lastTag === Tag ? this.lastTagAccounting : this.byTag.get(Tag);
    if (tagAccounting === undefined) {
      tagAccounting = new Accounting();
      this.byTag.set(Tag, tagAccounting);
    }
    this.lastTag = Tag;
    this.lastTagAccounting = tagAccounting;
    const site = engine.captureAllocationSites ? captureSite() : null;
    const block = new PoolBlock(base, Length, Tag, Priority, owner, tagAccounting, ordinal, site);
    if (foreign) engine.virtual.mapForeign(base, block);
    else engine.virtual.map(block);
    this.total.charge(Length);
    owner.pool.charge(Length);
    tagAccounting.charge(Length);
  }

  /** The three frees; `hasTag`/`hasHandle` say which parameters the DDI has. */
  free(
    ddi: string,
    NdisHandle: unknown,
    VirtualAddress: unknown,
    Length: unknown,
    MemoryFlags: unknown,
    Tag: unknown,
    hasTag: boolean,
    hasHandle: boolean,
  ): void {
    const engine = this.engine;
    const e = this.freeEvent;
    e.ddi = ddi;
    e.irql = engine.context.irql;
    e.NdisHandle = NdisHandle;
    e.VirtualAddress = VirtualAddress;
    e.Length = Length;
    e.MemoryFlags = MemoryFlags;
    e.Tag = Tag;
    e.hasTag = hasTag;
    e.hasHandle = hasHandle;
    e.handleOwner = hasHandle ? resolveHandle(engine, NdisHandle) : null;
    const found = typeof VirtualAddress === 'number' ? engine.virtual.get(VirtualAddress) : undefined;
    if (found instanceof PoolBlock) {
      e.block = found;
      e.outcome = FreeOutcome.Ok;
    } else {
      this.classifyMiss(e, VirtualAddress);
    }
    engine.verifier.on.poolFree(engine.verifier, e);
    if (e.outcome !== FreeOutcome.Ok) return;
    const block = e.block as PoolBlock;
    e.block = null;
    engine.virtual.unmap(block);
    engine.access.released(block);
    this.total.credit(block.length);
    block.owner.pool.credit(block.length);
    block.tagAccounting.credit(block.length);
    this.freedRing[this.freedAt] = block;
    this.freedAt = (this.freedAt + 1) & FREED_MASK;
  }

  /** Cold path: why a free did not hit the base of a live block. */
  private classifyMiss(e: PoolFreeEvent, address: unknown): void {
    const virtual = this.engine.virtual;
    const inside = typeof address === 'number' ? virtual.containing(address) : undefined;
    if (inside instanceof PoolBlock && (address as number) < inside.base + inside.length) {
      e.block = inside;
      e.outcome = FreeOutcome.Interior;
      return;
    }
    e.block = this.recentlyFreed(address);
    if (e.block !== null || (typeof address === 'number' && virtual.wasFreed(address) && address !== 0)) {
      e.outcome = FreeOutcome.Double;
      return;
    }
    e.outcome = FreeOutcome.Unknown;
  }

  private recentlyFreed(address: unknown): PoolBlock | null {
    for (let i = 1; i <= FREED_HISTORY; i++) {
      const block = this.freedRing[(this.freedAt - i) & FREED_MASK];
      if (block === undefined) return null;
      if (block.base === address) return block;
    }
    return null;
  }

  /** Live pool blocks, optionally only those charged to `owner` (leak reports, cold path). */
  *live(owner?: NdisObject): IterableIterator<PoolBlock> {
    for (const region of this.engine.virtual.values()) {
      if (region instanceof PoolBlock && (owner === undefined || region.owner === owner)) yield region;
    }
  }
}
