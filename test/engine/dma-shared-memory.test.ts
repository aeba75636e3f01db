/**
 * Miniport shared memory (SPEC §5): out-values of NdisMAllocateSharedMemory on success and on every
 * failure, real bytes behind VirtualAddress (unusable after the free), physical placement under the
 * DMA registration's address limit, guard bytes, the asynchronous allocation and its completion, and
 * NdisMFreeSharedMemory's outcomes (D8, D35).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedMemory } from '../../src/engine/dma-objects.js';
import { mappedBytes } from '../../src/engine/shared-memory.js';
import { FOUR_GIB, PAGE_SIZE } from '../../src/machine/physical.js';
import {
  NdisMoveMemory,
  readUInt8,
  readUInt32LE,
  writeBytes,
  writeUInt8,
  writeUInt32LE,
} from '../../src/ndis/access.js';
import {
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_SUCCESS,
  NdisHaltDeviceDisabled,
} from '../../src/ndis/constants.js';
import {
  NdisMAllocateSharedMemory,
  NdisMAllocateSharedMemoryAsyncEx,
  NdisMDeregisterDmaChannel,
  NdisMDeregisterScatterGatherDma,
  NdisMFreeSharedMemory,
  NdisMRegisterDmaChannel,
} from '../../src/ndis/dma.js';
import { channelDescription, type DmaSim, dmaSim, setAttributes } from '../conformance/dma-helpers.js';

/** Runs `fn` as a MiniportInitializeEx the lifecycle knows of, ending with `status`. */
function initialize<T>(s: DmaSim, status: number, fn: () => T, busMaster = true): T {
  s.engine.lifecycle.initializeBegin(s.adapter);
  setAttributes(s.adapter, busMaster);
  s.adapter.generalAttributesSet = true;
  const result = s.init(fn);
  s.engine.lifecycle.initializeEnd(s.adapter, status);
  return result;
}

/** Runs `fn` as a MiniportHaltEx the lifecycle knows of. */
function halt<T>(s: DmaSim, fn: () => T): T {
  s.engine.lifecycle.haltBegin(s.adapter, NdisHaltDeviceDisabled);
  const result = s.halt(fn);
  s.engine.lifecycle.haltEnd(s.adapter);
  return result;
}

describe('NdisMAllocateSharedMemory', () => {
  it('returns a mapped VirtualAddress and a page-aligned PhysicalAddress, charged to the adapter', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(1000);
    expect(VirtualAddress).not.toBe(0);
    expect(PhysicalAddress % PAGE_SIZE).toBe(0);
    expect(PhysicalAddress).toBeGreaterThan(0);
    expect(s.engine.physical.isAllocated(PhysicalAddress)).toBe(true);
    const state = s.engine.dma.peek(s.adapter);
    expect(state?.shared.liveCount).toBe(1);
    expect(state?.shared.liveBytes).toBe(1000);
    expect(s.engine.dma.shared.total.liveBytes).toBe(1000);
    expect(s.engine.violations).toEqual([]);
  });

  it('maps the page-rounded size, with a whole guard page when Length is a page multiple', () => {
    expect(mappedBytes(1)).toBe(PAGE_SIZE);
    expect(mappedBytes(4095)).toBe(PAGE_SIZE);
    expect(mappedBytes(4096)).toBe(2 * PAGE_SIZE);
    expect(mappedBytes(5000)).toBe(2 * PAGE_SIZE);
    const s = dmaSim();
    s.registerSg();
    const before = s.engine.physical.usedPages;
    s.allocate(8192);
    expect(s.engine.physical.usedPages - before).toBe(3);
  });

  it('gives real bytes: what the driver writes it reads back, across blocks too', () => {
    const s = dmaSim();
    s.registerSg();
    const a = s.allocate(64).VirtualAddress;
    const b = s.allocate(64).VirtualAddress;
    writeUInt32LE(a + 8, 0xdeadbeef);
    expect(readUInt32LE(a + 8)).toBe(0xdeadbeef);
    writeBytes(a + 16, new Uint8Array([1, 2, 3, 4]));
    NdisMoveMemory(b, a + 16, 4);
    expect(readUInt32LE(b)).toBe(0x04030201);
    expect(s.engine.violations).toEqual([]);
  });

  it('the bytes are gone after the free: a read is Memory_UseAfterFree and returns zeros, the pages go back', () => {
    const s = dmaSim();
    s.registerSg();
    const free = s.engine.physical.freePages;
    const { VirtualAddress, PhysicalAddress } = s.allocate(64, true);
    writeUInt32LE(VirtualAddress, 42);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 64, true, VirtualAddress, PhysicalAddress));
    expect(s.engine.physical.freePages).toBe(free);
    expect(s.engine.physical.isAllocated(PhysicalAddress)).toBe(false);
    expect(readUInt32LE(VirtualAddress)).toBe(0);
    expect(s.findings('Memory_UseAfterFree')).toHaveLength(1);
    expect(s.engine.dma.peek(s.adapter)?.shared.liveCount).toBe(0);
  });

  it('a write past Length inside the last page lands in guard bytes (no fault); past the page it is Memory_Overrun', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress } = s.allocate(100);
    writeUInt8(VirtualAddress + 100, 1);
    expect(s.engine.violations).toEqual([]);
    writeUInt8(VirtualAddress + PAGE_SIZE, 1);
    expect(s.findings('Memory_Overrun')).toHaveLength(1);
    s.allocate(10);
    expect(s.findings('NDIS_BUGCHECK_SHARED_MEM_CORRUPTION')).toHaveLength(1);
  });

  it('lies below 4 GiB without 64-bit DMA and above 4 GiB with it (top-down allocator)', () => {
    const narrow = dmaSim();
    narrow.registerSg(0);
    expect(narrow.allocate(PAGE_SIZE).PhysicalAddress).toBeLessThan(FOUR_GIB);
    const wide = dmaSim();
    wide.registerSg(NDIS_SG_DMA_64_BIT_ADDRESS);
    expect(wide.allocate(PAGE_SIZE).PhysicalAddress).toBeGreaterThanOrEqual(FOUR_GIB);
    const lines32 = dmaSim({ device: { busMaster: true, addressBits: 32 } });
    lines32.registerSg(NDIS_SG_DMA_64_BIT_ADDRESS);
    expect(lines32.allocate(PAGE_SIZE).PhysicalAddress).toBeLessThan(FOUR_GIB);
  });

  it('through a DMA channel: below 4 GiB with Dma32BitAddresses, below 16 MiB (24 lines) without', () => {
    const wide = dmaSim({ busMaster: false });
    wide.registerChannel(5, true);
    const a = wide.allocate(PAGE_SIZE).PhysicalAddress;
    expect(a).toBeLessThan(FOUR_GIB);
    expect(a).toBeGreaterThan(2 ** 24);
    const isa = dmaSim({ busMaster: false });
    isa.registerChannel(5, false);
    expect(isa.allocate(PAGE_SIZE).PhysicalAddress).toBeLessThan(2 ** 24);
  });

  it.each([
    { name: 'no DMA registration', register: false, length: 64, handle: 'adapter' },
    { name: 'Length 0', register: true, length: 0, handle: 'adapter' },
    { name: 'a forged adapter handle', register: true, length: 64, handle: 'forged' },
    { name: 'the fault hook', register: true, length: 64, handle: 'adapter', fault: true },
    { name: 'more than is free below 4 GiB', register: true, length: 0xfffff000, handle: 'adapter' },
  ])('fails with VirtualAddress NULL and PhysicalAddress 0: $name', ({ register, length, handle, fault }) => {
    const s = dmaSim();
    if (register) s.registerSg();
    if (fault) s.engine.faults = (r) => r.ddi === 'NdisMAllocateSharedMemory';
    const pages = s.engine.physical.usedPages;
    const target = handle === 'forged' ? ({} as never) : s.adapter;
    expect(s.init(() => NdisMAllocateSharedMemory(target, length, true))).toEqual({
      VirtualAddress: 0,
      PhysicalAddress: 0,
    });
    expect(s.engine.physical.usedPages).toBe(pages);
    expect(s.engine.dma.shared.total.liveCount).toBe(0);
  });

  it('fails when physical memory is exhausted', () => {
    const s = dmaSim({ physicalMemorySize: 16 * PAGE_SIZE });
    s.registerSg();
    expect(s.allocate(8 * PAGE_SIZE).VirtualAddress).not.toBe(0);
    expect(s.allocate(8 * PAGE_SIZE)).toEqual({ VirtualAddress: 0, PhysicalAddress: 0 });
  });

  it('asks the fault hook once per call, with the DDI, length and owner', () => {
    const seen: unknown[] = [];
    const s = dmaSim({
      faults: (r) => {
        seen.push({ ...r });
        return false;
      },
    });
    s.registerSg();
    s.allocate(300);
    expect(seen).toEqual([
      expect.objectContaining({ ddi: 'NdisMRegisterScatterGatherDma', ordinal: 1 }),
      { ddi: 'NdisMAllocateSharedMemory', ordinal: 2, length: 300, tag: 0, priority: -1, owner: s.adapter },
    ]);
  });
});

describe('NdisMAllocateSharedMemoryAsyncEx', () => {
  it('returns PENDING and completes later, at PASSIVE, with (MiniportAdapterContext, VirtualAddress, PhysicalAddress, Length, Context)', () => {
    const calls: unknown[][] = [];
    const s = dmaSim();
    const handle = s.registerSg(0, (...args) => {
      calls.push([...args, s.engine.context.irql, s.engine.context.callback]);
    });
    const context = { mine: 1 };
    const status = s.at(
      2,
      () => NdisMAllocateSharedMemoryAsyncEx(handle, 2048, true, context),
      'MiniportDpc',
    );
    expect(status).toBe(NDIS_STATUS_PENDING);
    expect(calls).toEqual([]);
    s.engine.scheduler.runUntilIdle();
    expect(calls).toHaveLength(1);
    const [adapterContext, va, pa, length, ctx, irql, callback] = calls[0];
    expect(adapterContext).toBe(s.adapter.context);
    expect(va).not.toBe(0);
    expect(pa as number).toBeLessThan(FOUR_GIB);
    expect(length).toBe(2048);
    expect(ctx).toBe(context);
    expect(irql).toBe(0);
    expect(callback).toBe('MiniportSharedMemoryAllocateComplete');
    // Owned like synchronous memory: usable, then freed the same way.
    writeUInt32LE(va as number, 7);
    expect(readUInt32LE(va as number)).toBe(7);
    const memory = s.engine.virtual.get(va as number);
    expect(memory).toBeInstanceOf(SharedMemory);
    expect((memory as SharedMemory).async).toBe(true);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 2048, true, va as number, pa as number));
    expect(s.engine.violations).toEqual([]);
  });

  it('a failed completion passes VirtualAddress 0 and PhysicalAddress null (types.ts), with Length and Context (D6)', () => {
    const calls: unknown[][] = [];
    let n = 0;
    const s = dmaSim({ faults: (r) => r.ddi === 'NdisMAllocateSharedMemoryAsyncEx' && ++n === 2 });
    const handle = s.registerSg(0, (...args) => calls.push(args));
    expect(s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, 'ctx'))).toBe(
      NDIS_STATUS_PENDING,
    );
    s.engine.scheduler.runUntilIdle();
    expect(calls).toEqual([[s.adapter.context, 0, null, 100, 'ctx']]);
  });

  it('FAILURE when the request itself fails (fault hook); no completion follows', () => {
    const calls: unknown[] = [];
    const s = dmaSim({ faults: (r) => r.ddi === 'NdisMAllocateSharedMemoryAsyncEx' });
    const handle = s.registerSg(0, () => calls.push(1));
    expect(s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null))).toBe(
      NDIS_STATUS_FAILURE,
    );
    s.engine.scheduler.runUntilIdle();
    expect(calls).toEqual([]);
  });

  it('FAILURE without a completion handler, with a DMA channel handle, and with a forged handle (D5)', () => {
    const s = dmaSim();
    const noHandler = s.registerSg(0, null);
    expect(s.init(() => NdisMAllocateSharedMemoryAsyncEx(noHandler, 100, false, null))).toBe(
      NDIS_STATUS_FAILURE,
    );
    const c = dmaSim({ busMaster: false });
    const channel = c.registerChannel();
    expect(c.init(() => NdisMAllocateSharedMemoryAsyncEx(channel, 100, false, null))).toBe(
      NDIS_STATUS_FAILURE,
    );
    expect(c.init(() => NdisMAllocateSharedMemoryAsyncEx({} as never, 100, false, null))).toBe(
      NDIS_STATUS_FAILURE,
    );
    expect(s.engine.scheduler.idle).toBe(true);
  });

  it('drainCompletions delivers pending completions now, and the scheduler does not deliver them again (D6)', () => {
    const calls: number[] = [];
    const s = dmaSim();
    const handle = s.registerSg(0, (_c, va) => calls.push(va));
    s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null));
    s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 200, false, null));
    expect(s.engine.dma.drainCompletions(s.adapter)).toBe(2);
    expect(calls).toHaveLength(2);
    s.engine.scheduler.runUntilIdle();
    expect(calls).toHaveLength(2);
    expect(s.engine.dma.drainCompletions(s.adapter)).toBe(0);
  });

  it('completes with NULL when the SG DMA registration went before the completion ran', () => {
    const calls: unknown[][] = [];
    const s = dmaSim();
    const handle = s.registerSg(0, (...args) => calls.push(args));
    s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, 'c'));
    s.halt(() => NdisMDeregisterScatterGatherDma(handle));
    s.engine.scheduler.runUntilIdle();
    expect(calls).toEqual([[s.adapter.context, 0, null, 100, 'c']]);
  });
});

describe('NdisMFreeSharedMemory', () => {
  it('frees the block when every parameter matches', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(5000, false);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 5000, false, VirtualAddress, PhysicalAddress));
    expect(s.engine.virtual.get(VirtualAddress)).toBeUndefined();
    expect(s.engine.violations).toEqual([]);
  });

  it('with a parameter mismatch the block is freed and recorded; a subrange frees nothing', () => {
    const s = dmaSim();
    s.registerSg();
    const a = s.allocate(100);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 99, true, a.VirtualAddress, a.PhysicalAddress));
    expect(s.engine.virtual.get(a.VirtualAddress)).toBeUndefined();
    expect(s.findings('NdisMFreeSharedMemory_ParameterMismatch')).toHaveLength(1);
    const b = s.allocate(100);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 50, true, b.VirtualAddress + 50, b.PhysicalAddress + 50));
    expect(s.engine.virtual.get(b.VirtualAddress)).toBeInstanceOf(SharedMemory);
    expect(s.findings('NdisMFreeSharedMemory_Subrange')).toHaveLength(1);
  });

  it('a second free and a free of memory that is not shared memory free nothing', () => {
    const s = dmaSim();
    s.registerSg();
    const a = s.allocate(100);
    const pages = s.engine.physical.usedPages;
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 100, true, a.VirtualAddress, a.PhysicalAddress));
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 100, true, a.VirtualAddress, a.PhysicalAddress));
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 100, true, 0x1234, 0));
    expect(s.engine.physical.usedPages).toBe(pages - 1);
    expect(s.findings('NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM')).toHaveLength(2);
  });

  it('D35: deregistering DMA with shared memory live is recorded; the later free is accepted', () => {
    const s = dmaSim();
    const handle = s.registerSg();
    const a = s.allocate(100);
    s.halt(() => NdisMDeregisterScatterGatherDma(handle));
    expect(s.findings('Dma_DeregisterWithSharedMemory')).toHaveLength(1);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 100, true, a.VirtualAddress, a.PhysicalAddress));
    expect(s.engine.virtual.get(a.VirtualAddress)).toBeUndefined();
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Dma_DeregisterWithSharedMemory']);
  });
});

describe('shared memory under random allocate/write/free sequences (fast-check)', () => {
  it('keeps accounting, physical pages and byte contents consistent, and finds nothing wrong', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), length: fc.integer({ min: 1, max: 20_000 }) }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('write' as const),
        pick: fc.nat(),
        offset: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.boolean(), (ops, wide) => {
        const s = dmaSim();
        s.registerSg(wide ? NDIS_SG_DMA_64_BIT_ADDRESS : 0);
        const pages0 = s.engine.physical.usedPages;
        const live: { va: number; pa: number; length: number; bytes: Map<number, number> }[] = [];
        for (const o of ops) {
          if (o.kind === 'alloc') {
            const { VirtualAddress, PhysicalAddress } = s.allocate(o.length);
            expect(VirtualAddress).not.toBe(0);
            expect(PhysicalAddress < FOUR_GIB).toBe(!wide);
            live.push({ va: VirtualAddress, pa: PhysicalAddress, length: o.length, bytes: new Map() });
          } else if (live.length > 0 && o.kind === 'free') {
            const [b] = live.splice(o.pick % live.length, 1);
            s.halt(() => NdisMFreeSharedMemory(s.adapter, b.length, true, b.va, b.pa));
          } else if (live.length > 0 && o.kind === 'write') {
            const b = live[o.pick % live.length];
            const at = o.offset % b.length;
            writeUInt8(b.va + at, o.value);
            b.bytes.set(at, o.value);
          }
        }
        for (const b of live) for (const [at, value] of b.bytes) expect(readUInt8(b.va + at)).toBe(value);
        const pages = live.reduce((n, b) => n + mappedBytes(b.length) / PAGE_SIZE, 0);
        expect(s.engine.physical.usedPages - pages0).toBe(pages);
        expect(s.engine.dma.shared.total.liveCount).toBe(live.length);
        expect(s.engine.dma.shared.total.liveBytes).toBe(live.reduce((n, b) => n + b.length, 0));
        expect(s.engine.violations).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('what NDIS takes back at a lifecycle edge, and completions after it', () => {
  it('a leaked block is reported once, then unmapped with its pages freed; a later access is after free', () => {
    const s = dmaSim();
    let block = { VirtualAddress: 0, PhysicalAddress: 0 };
    initialize(s, NDIS_STATUS_SUCCESS, () => {
      s.registerSg();
      block = s.allocate(300);
    });
    halt(s, () => NdisMDeregisterScatterGatherDma(s.engine.dma.peek(s.adapter)?.sg ?? null));
    expect(s.findings('Leak_SharedMemory')).toHaveLength(1);
    expect(s.engine.virtual.get(block.VirtualAddress)).toBeUndefined();
    expect(s.engine.physical.isAllocated(block.PhysicalAddress)).toBe(false);
    expect(s.engine.dma.shared.total.liveCount).toBe(0);
    expect(s.engine.dma.peek(s.adapter)?.shared.liveBytes).toBe(0);
    expect(s.at(0, () => readUInt8(block.VirtualAddress))).toBe(0);
    expect(s.findings('Memory_UseAfterFree')).toHaveLength(1);
    // The unload edge finds nothing more to report.
    s.engine.lifecycle.unloadEnd(s.driver.driverObject, [s.driver]);
    expect(s.findings('Leak_SharedMemory')).toHaveLength(1);
  });

  it('a DMA channel a failed initialize leaked is reported and released: the next initialize claims it again', () => {
    const s = dmaSim({ busMaster: false });
    const claim = () =>
      initialize(
        s,
        NDIS_STATUS_FAILURE,
        () => NdisMRegisterDmaChannel(s.adapter, 0, true, channelDescription({ DmaChannel: 3 }), -1),
        false,
      );
    const first = claim();
    const second = claim();
    expect(first.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(second.Status).toBe(NDIS_STATUS_SUCCESS);
    // One report per leaked claim, none for a conflict; the first handle is stale now.
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Leak_DmaChannel', 'Leak_DmaChannel']);
    expect(s.engine.dma.errorLog).toEqual([]);
    s.at(0, () => NdisMDeregisterDmaChannel(first.MiniportDmaHandle), 'MiniportHaltEx');
    expect(s.findings('Ndis_InvalidHandle')).toHaveLength(1);
  });

  it('a request pending when a failing initialize returns is dropped: its completion never runs', () => {
    const calls: unknown[] = [];
    const s = dmaSim();
    const status = initialize(s, NDIS_STATUS_FAILURE, () => {
      const handle = s.registerSg(0, (...args) => calls.push(args));
      return NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null);
    });
    expect(status).toBe(NDIS_STATUS_PENDING);
    s.engine.scheduler.runUntilIdle();
    expect(calls).toEqual([]);
    expect(s.engine.dma.shared.total.liveCount).toBe(0);
    expect(s.engine.dma.peek(s.adapter)?.pending.size).toBe(0);
  });

  it('NdisMAllocateSharedMemoryAsyncEx inside MiniportHaltEx returns FAILURE (past the drain, D6): no completion after halt', () => {
    const calls: unknown[] = [];
    const seen: string[] = [];
    const s = dmaSim({
      faults: (r) => {
        seen.push(r.ddi);
        return false;
      },
    });
    const handle = initialize(s, NDIS_STATUS_SUCCESS, () => s.registerSg(0, (...args) => calls.push(args)));
    const status = halt(s, () => {
      const late = NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, 'late');
      NdisMDeregisterScatterGatherDma(handle);
      return late;
    });
    expect(status).toBe(NDIS_STATUS_FAILURE);
    s.engine.scheduler.runUntilIdle();
    expect(calls).toEqual([]);
    expect(s.engine.dma.shared.total.liveCount).toBe(0);
    // Not a resource-allocating call: the fault hook was not asked.
    expect(seen).toEqual(['NdisMRegisterScatterGatherDma']);
    expect(s.engine.violations).toEqual([]);
  });

  it('a completion still queued when the adapter is shut down is dropped: no block, no callback', () => {
    const calls: unknown[] = [];
    const s = dmaSim();
    const handle = initialize(s, NDIS_STATUS_SUCCESS, () => s.registerSg(0, (...args) => calls.push(args)));
    expect(s.at(2, () => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null), 'MiniportDpc')).toBe(
      NDIS_STATUS_PENDING,
    );
    s.engine.lifecycle.shutdownBegin(s.adapter);
    s.engine.scheduler.runUntilIdle();
    expect(calls).toEqual([]);
    expect(s.engine.dma.shared.total.liveCount).toBe(0);
    expect(s.engine.dma.peek(s.adapter)?.pending.size).toBe(0);
    expect(s.at(2, () => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null), 'MiniportDpc')).toBe(
      NDIS_STATUS_FAILURE,
    );
  });
});
