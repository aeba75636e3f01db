import { describe, expect, it } from 'vitest';
import { NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, hex, theFinding } from './helpers.js';

const RULE = 'NdisMFreeSharedMemory_Subrange';

describe('NdisMFreeSharedMemory_Subrange', () => {
  it('breaks: freeing the second half of a block frees nothing (D8 b)', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(8192);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 4096, true, VirtualAddress + 4096, PhysicalAddress + 4096));
    expect(s.engine.virtual.get(VirtualAddress)).toBeDefined();
    expect(s.engine.dma.shared.total.liveBytes).toBe(8192);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMFreeSharedMemory',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        Length: 4096,
        Cached: 'TRUE',
        VirtualAddress: hex(VirtualAddress + 4096),
        PhysicalAddress: hex(PhysicalAddress + 4096),
      },
      message: ['4096 bytes inside the 8192-byte shared memory block', 'nothing is freed'],
      allocationSite: true,
      callback: 'MiniportHaltEx',
    });
  });

  it('keeps: freeing the whole block from its base', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(8192);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 8192, true, VirtualAddress, PhysicalAddress));
    expectNoFinding(s, RULE);
  });
});
