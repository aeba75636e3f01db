import { describe, expect, it } from 'vitest';
import { NdisMAllocateSharedMemoryAsyncEx, NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, hex } from './helpers.js';

const RULE = 'Leak_SharedMemory';

describe('Leak_SharedMemory', () => {
  it('breaks: one finding per block still allocated when MiniportHaltEx returns, with size and allocation site', () => {
    const s = dmaSim();
    s.registerSg();
    const kept = s.allocate(3000, false);
    s.allocate(100);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    const found = s.findings(RULE);
    expect(found).toHaveLength(2);
    expectFinding(found.find((v) => v.args.Length === 3000) ?? found[0], RULE, {
      ddi: 'NdisMAllocateSharedMemory',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        Length: 3000,
        Cached: 'FALSE',
        VirtualAddress: hex(kept.VirtualAddress),
        PhysicalAddress: hex(kept.PhysicalAddress),
      },
      message: ['3000 bytes of shared memory', 'still allocated when MiniportHaltEx returned'],
      allocationSite: true,
      callback: null,
    });
  });

  it('breaks: memory delivered by MiniportSharedMemoryAllocateComplete is owned the same way (D6)', () => {
    const s = dmaSim();
    const handle = s.registerSg(0, () => {});
    s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 700, true, null));
    s.engine.dma.drainCompletions(s.adapter);
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    const found = s.findings(RULE);
    // Reported once, at the failed initialize; not again at unload.
    expect(found.map((v) => v.ddi)).toEqual(['NdisMAllocateSharedMemoryAsyncEx']);
    expect(found[0].message).toContain('MiniportInitializeEx returned a failure');
    expect(found[0].allocationSite.join('\n')).toContain('Leak_SharedMemory.test.ts');
  });

  it('keeps: nothing is reported at unload for an adapter that ended in Shutdown (D9)', () => {
    const s = dmaSim();
    s.registerSg();
    s.allocate(100);
    s.adapter.state = 'Shutdown';
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, RULE);
  });

  it('keeps: every block freed before the edge', () => {
    const s = dmaSim();
    s.registerSg();
    const a = s.allocate(3000);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 3000, true, a.VirtualAddress, a.PhysicalAddress));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, RULE);
  });
});
