import { describe, expect, it } from 'vitest';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

const RULE = 'NdisMAllocateSharedMemory_WithoutDmaRegistration';

describe('NdisMAllocateSharedMemory_WithoutDmaRegistration', () => {
  it('breaks: NdisMAllocateSharedMemory before any DMA registration returns NULL', () => {
    const s = dmaSim();
    expect(s.allocate(128)).toEqual({ VirtualAddress: 0, PhysicalAddress: 0 });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMAllocateSharedMemory',
      irql: 0,
      args: { MiniportAdapterHandle: 'TestAdapter', Length: 128, Cached: 'TRUE' },
      message: ['before the adapter registered DMA', 'returns NULL'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
  });

  it('keeps: after NdisMRegisterScatterGatherDma, or after NdisMRegisterDmaChannel', () => {
    const s = dmaSim();
    s.registerSg();
    expect(s.allocate(128).VirtualAddress).not.toBe(0);
    const c = dmaSim({ busMaster: false });
    c.registerChannel();
    expect(c.allocate(128).VirtualAddress).not.toBe(0);
    expectNoFinding(s, RULE);
    expectNoFinding(c, RULE);
  });
});
