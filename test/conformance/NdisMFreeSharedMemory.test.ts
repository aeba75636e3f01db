import { describe, expect, it } from 'vitest';
import { NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, hex, theFinding } from './helpers.js';

describe('NdisMFreeSharedMemory', () => {
  it('breaks: NdisMFreeSharedMemory from MiniportShutdownEx is recorded; the memory is freed (D9)', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(1024, false);
    s.shutdown(() => NdisMFreeSharedMemory(s.adapter, 1024, false, VirtualAddress, PhysicalAddress));
    expect(s.engine.virtual.get(VirtualAddress)).toBeUndefined();
    expectFinding(theFinding(s, 'NdisMFreeSharedMemory'), 'NdisMFreeSharedMemory', {
      ddi: 'NdisMFreeSharedMemory',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        Length: 1024,
        Cached: 'FALSE',
        VirtualAddress: hex(VirtualAddress),
        PhysicalAddress: hex(PhysicalAddress),
      },
      message: ['from MiniportShutdownEx', 'the memory is freed'],
      allocationSite: true,
      callback: 'MiniportShutdownEx',
    });
  });

  it('keeps: NdisMFreeSharedMemory from MiniportHaltEx', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(1024, false);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 1024, false, VirtualAddress, PhysicalAddress));
    expectNoFinding(s, 'NdisMFreeSharedMemory');
  });
});
