/** Leak_ProviderSharedMemory: NdisAllocateSharedMemory memory is freed before halt returns, before a failed initialize returns, and before unload (SPEC §6.6, §6.7). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateSharedMemory, NdisFreeSharedMemory } from '../../src/ndis/provider.js';
import {
  deregisterDma,
  inSetOptions,
  PAGE,
  parameters,
  recordingProvider,
  registerDma,
} from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL } from './helpers.js';

const RULE = 'Leak_ProviderSharedMemory';

describe('Leak_ProviderSharedMemory', () => {
  it('breaks: one finding per block still allocated when MiniportHaltEx returns, charged to the adapter, with Length and site', () => {
    const s = sim();
    registerDma(s);
    s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters(3000)));
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters(2 * PAGE)));
    const freed = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, freed.AllocationHandle));
    s.at(PASSIVE_LEVEL, () => s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter));
    const [hal, fromProvider] = s.findings(RULE);
    expect(s.findings(RULE)).toHaveLength(2);
    expectFinding(hal, RULE, {
      ddi: 'NdisAllocateSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', Length: 3000, Usage: 4 },
      message: ['3000 bytes of shared memory allocated from the HAL', 'MiniportHaltEx returned'],
      allocationSite: true,
    });
    expect(fromProvider.message).toContain('8192 bytes of shared memory from the provider of TestDriver');
    expect(fromProvider.adapter).toBe('TestAdapter');
  });

  it('breaks: at a failed initialize, and at unload for blocks charged to the driver', () => {
    const s = sim();
    registerDma(s);
    s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters(10)));
    s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.driver, parameters(20)));
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    expect(s.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining(
        '10 bytes of shared memory allocated from the HAL (TestAdapter.SharedMemory1, Usage 4) are still allocated when MiniportInitializeEx returned a failure',
      ),
    ]);
    s.engine.provider.reclaim(s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    const atUnload = s.findings(RULE).slice(1);
    expect(atUnload).toHaveLength(1);
    expect(atUnload[0].message).toContain('20 bytes');
    expect(atUnload[0].message).toContain('the driver unloaded');
    expect(atUnload[0].adapter).toBeNull();
  });

  it('keeps: everything freed in MiniportHaltEx (the default queue’s memory) before the edge', () => {
    const s = sim();
    const dma = registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const block = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisFreeSharedMemory(s.adapter, block.AllocationHandle),
    );
    deregisterDma(s, dma);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, RULE);
  });
});
