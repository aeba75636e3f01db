import { describe, expect, it } from 'vitest';
import {
  NdisMDeregisterDmaChannel,
  NdisMDeregisterScatterGatherDma,
  NdisMFreeSharedMemory,
} from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

describe('Dma_DeregisterWithSharedMemory', () => {
  it('breaks: NdisMDeregisterScatterGatherDma while shared memory is still allocated (D35)', () => {
    const s = dmaSim();
    const handle = s.registerSg();
    s.allocate(100);
    s.allocate(200);
    s.halt(() => NdisMDeregisterScatterGatherDma(handle));
    expect(s.engine.dma.peek(s.adapter)?.sg).toBeNull();
    expectFinding(theFinding(s, 'Dma_DeregisterWithSharedMemory'), 'Dma_DeregisterWithSharedMemory', {
      ddi: 'NdisMDeregisterScatterGatherDma',
      irql: 0,
      args: { NdisMiniportDmaHandle: 'TestAdapter.SgDma1' },
      message: ['2 block(s) (300 bytes)', '(NdisMFreeSharedMemory, NdisFreeSharedMemory) first'],
      allocationSite: false,
      callback: 'MiniportHaltEx',
    });
  });

  it('breaks: NdisMDeregisterDmaChannel while shared memory is still allocated', () => {
    const s = dmaSim({ busMaster: false });
    const handle = s.registerChannel();
    s.allocate(100);
    s.halt(() => NdisMDeregisterDmaChannel(handle));
    expect(theFinding(s, 'Dma_DeregisterWithSharedMemory').ddi).toBe('NdisMDeregisterDmaChannel');
  });

  it('keeps: shared memory freed first, then DMA deregistered', () => {
    const s = dmaSim();
    const handle = s.registerSg();
    const a = s.allocate(100);
    s.halt(() => {
      NdisMFreeSharedMemory(s.adapter, 100, true, a.VirtualAddress, a.PhysicalAddress);
      NdisMDeregisterScatterGatherDma(handle);
    });
    expectNoFinding(s, 'Dma_DeregisterWithSharedMemory');
  });
});
