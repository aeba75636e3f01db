/**
 * Driver access to simulated memory. Reads and writes go through a look-up that finds the live
 * region behind an address; a freed region, an access past the end, or an address nothing was ever
 * mapped at is reported (never silently allowed). Reads of freed memory then return zeros and
 * writes are dropped; an access to an address that was never mapped is a page fault and stops the
 * driver (docs/decisions.md, "Memory access faults").
 */
import { formatAddress } from '../machine/address.js';
import type { Region } from '../machine/virtual.js';
import type { MemoryAccessEvent } from '../verifier/events.js';
import { GUARD_PATTERN, type SharedMemory } from './dma-objects.js';
import type { Engine } from './engine.js';
import { runningOwner } from './sync-owner.js';

/** True for a byte count a C accessor could take: a ULONG (an integer in 0..0xFFFFFFFF). */
export function isByteCount(value: unknown): value is number {
  return (value as number) >>> 0 === value;
}

const LENGTH_PARAMS: readonly string[] = Object.freeze(['Address', 'Length']);

/** Freed regions remembered for use-after-free details (a power of two: the ring index is masked). */
const FREED_HISTORY = 4096;
const FREED_MASK = FREED_HISTORY - 1;

/** Thrown when the driver touches an address nothing was ever mapped at (NULL included). */
export class PageFault extends Error {
  override readonly name = 'PageFault';
  constructor(
    readonly address: number,
    readonly write: boolean,
  ) {
    super(
      `page fault: ${write ? 'write to' : 'read of'} unmapped address ${address === 0 ? 'NULL' : formatAddress(address)}`,
    );
  }
}

/** Checked byte access for one engine. */
export class MemoryAccess {
  private readonly event: MemoryAccessEvent = {
    ddi: '',
    irql: 0,
    address: 0,
    size: 0,
    write: false,
    region: null,
    outcome: 'unmapped',
  };

  /**
   * The regions freed last, of every family (pool, miniport shared memory, HAL memory): an access
   * after a free names the allocation it hit, whichever DDI allocated it.
   */
  private readonly freedRing: (Region | undefined)[] = new Array(FREED_HISTORY);
  private freedAt = 0;

  constructor(private readonly engine: Engine) {}

  /** A family unmapped `region` (its free, or NDIS reclaiming it): later accesses to it are after free. */
  released(region: Region): void {
    this.freedRing[this.freedAt] = region;
    this.freedAt = (this.freedAt + 1) & FREED_MASK;
  }

  /** The most recently freed region whose mapped bytes held `address` (use-after-free details, cold path). */
  freedContaining(address: number): Region | null {
    for (let i = 1; i <= FREED_HISTORY; i++) {
      const region = this.freedRing[(this.freedAt - i) & FREED_MASK];
      if (region === undefined) return null;
      if (address >= region.base && address < region.base + Math.max(1, region.mapped)) return region;
    }
    return null;
  }

  /**
   * The bytes of the live region holding [address, address+size), with `offset` set to where the
   * range starts; null after reporting when the access is not to live memory, or when `size` is not
   * a byte count (Ddi_InvalidArgument: no address is judged for a length C could not pass).
   */
  resolve(ddi: string, address: unknown, size: number, write: boolean): Uint8Array | null {
    if (!isByteCount(size)) {
      this.invalidArgument(
        ddi,
        LENGTH_PARAMS,
        1,
        [address, size],
        'a byte count (a ULONG)',
        write ? 'writes nothing' : 'reads nothing',
      );
      return null;
    }
    if (typeof address === 'number') {
      const region = this.engine.virtual.containing(address);
      if (region !== undefined) {
        const offset = address - region.base;
        const end = offset + size;
        if (end <= region.mapped) {
          // Only shared memory is guarded: a write into its guard bytes is what a guard check looks for.
          if (write && end > region.length && region.guarded === true)
            (region as SharedMemory).guardWritten();
          this.offset = offset;
          let bytes = region.bytes;
          if (bytes === null) {
            bytes = new Uint8Array(region.mapped);
            region.bytes = bytes;
          }
          return bytes;
        }
        this.fault(ddi, address, size, write, region, 'overrun');
        return null;
      }
      if (address !== 0 && this.engine.virtual.wasFreed(address)) {
        this.fault(ddi, address, size, write, this.freedContaining(address), 'freed');
        return null;
      }
    }
    const at = typeof address === 'number' ? address : 0;
    this.fault(ddi, at, size, write, null, 'unmapped');
    throw new PageFault(at, write);
  }

  /**
   * A trace's `access` event: judged as `resolve` judges a live access, without bytes and without
   * stopping anything (the trace shows what the driver did next). A write past Length into the
   * guard bytes of shared memory corrupts them, as the driver's bytes would: the trace has no
   * values, so any such write counts (docs/trace-format.md, `access`).
   */
  check(ddi: string, address: number, size: number, write: boolean): void {
    const virtual = this.engine.virtual;
    // A trace's regions are not in size-class slots: an access starting right at a region's end is
    // still that region's overrun (the classic off by one), as it is in a live run.
    const region =
      virtual.containing(address) ?? (address !== 0 ? virtual.containing(address - 1) : undefined);
    if (region !== undefined) {
      const end = address - region.base + size;
      if (end > region.mapped) this.fault(ddi, address, size, write, region, 'overrun');
      else if (write && end > region.length && region.guarded === true) {
        const offset = Math.max(address - region.base, region.length);
        if (region.bytes === null) region.bytes = new Uint8Array(region.mapped);
        region.bytes[offset] = ~GUARD_PATTERN & 0xff;
        (region as SharedMemory).guardWritten();
      }
      return;
    }
    if (address !== 0) {
      if (virtual.wasFreed(address)) {
        this.fault(ddi, address, size, write, this.freedContaining(address), 'freed');
        return;
      }
      const freed = virtual.unmappedForeign(address);
      if (freed !== undefined) {
        this.fault(ddi, address, size, write, freed, 'freed');
        return;
      }
    }
    this.fault(ddi, address, size, write, null, 'unmapped');
  }

  /** Where the range of the last successful `resolve` starts in its region's bytes. */
  offset = 0;

  /** Cold path: an accessor's argument that is not of its C type (Ddi_InvalidArgument). */
  invalidArgument(
    ddi: string,
    params: readonly string[],
    index: number,
    args: readonly unknown[],
    expected: string,
    outcome: string,
  ): void {
    const engine = this.engine;
    engine.sync.misuse({
      ddi,
      kind: 'argument',
      params,
      index,
      args,
      expected,
      outcome,
      owner: runningOwner(engine),
    });
  }

  private fault(
    ddi: string,
    address: number,
    size: number,
    write: boolean,
    region: Region | null,
    outcome: MemoryAccessEvent['outcome'],
  ): void {
    const engine = this.engine;
    const e = this.event;
    e.ddi = ddi;
    e.irql = engine.context.irql;
    e.address = address;
    e.size = size;
    e.write = write;
    e.region = region as MemoryAccessEvent['region'];
    e.outcome = outcome;
    engine.verifier.on.memoryAccess(engine.verifier, e);
  }
}
