import { describe, expect, it } from 'vitest';
import { NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { NdisAllocateMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { dmaSim } from './dma-helpers.js';
import { catchBugCheck, expectFinding, expectNoFinding, hex, TAG } from './helpers.js';

const RULE = 'NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM';

describe('NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM', () => {
  it('breaks: freeing shared memory that was already freed (D8 c)', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(256);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 256, true, VirtualAddress, PhysicalAddress));
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 256, true, VirtualAddress, PhysicalAddress));
    const found = s.findings(RULE);
    expect(found).toHaveLength(1);
    expectFinding(found[0], RULE, {
      ddi: 'NdisMFreeSharedMemory',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        Length: 256,
        Cached: 'TRUE',
        VirtualAddress: hex(VirtualAddress),
        PhysicalAddress: hex(PhysicalAddress),
      },
      message: ['already freed', 'nothing is freed'],
      allocationSite: true,
      callback: 'MiniportHaltEx',
    });
    expect(found[0].bugCheck?.parameters).toEqual([
      0x03,
      s.engine.lifecycle.serialOf(s.adapter),
      VirtualAddress,
      VirtualAddress,
    ]);
  });

  it('breaks: freeing NULL, a never-allocated address, or pool memory (D8 d)', () => {
    const s = dmaSim();
    s.registerSg();
    const pool = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, 16);
    s.halt(() => {
      NdisMFreeSharedMemory(s.adapter, 64, true, 0, 0);
      NdisMFreeSharedMemory(s.adapter, 64, true, 0x7fff0000, 0);
      NdisMFreeSharedMemory(s.adapter, 64, true, pool, 0);
    });
    expect(s.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('frees NULL'),
      expect.stringContaining('not NDIS shared memory'),
      expect.stringContaining('not NDIS shared memory'),
    ]);
    expect(s.engine.virtual.get(pool)).toBeDefined();
  });

  it('breaks: under the bug-check policy a double free stops with 0x7C (0x03, adapter, page, address)', () => {
    const s = dmaSim({ policy: 'bugcheck' });
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(256);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 256, true, VirtualAddress, PhysicalAddress));
    const stop = catchBugCheck(() =>
      s.halt(() => NdisMFreeSharedMemory(s.adapter, 256, true, VirtualAddress, PhysicalAddress)),
    );
    expect(stop.info).toEqual({
      code: 0x7c,
      name: 'BUGCODE_NDIS_DRIVER',
      parameters: [0x03, s.engine.lifecycle.serialOf(s.adapter), VirtualAddress, VirtualAddress],
    });
  });

  it('keeps: each block freed once', () => {
    const s = dmaSim();
    s.registerSg();
    const a = s.allocate(256);
    const b = s.allocate(256);
    s.halt(() => {
      NdisMFreeSharedMemory(s.adapter, 256, true, a.VirtualAddress, a.PhysicalAddress);
      NdisMFreeSharedMemory(s.adapter, 256, true, b.VirtualAddress, b.PhysicalAddress);
    });
    expectNoFinding(s, RULE);
  });
});
