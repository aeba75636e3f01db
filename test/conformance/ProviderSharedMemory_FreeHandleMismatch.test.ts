/** ProviderSharedMemory_FreeHandleMismatch: NdisFreeSharedMemory gets the NdisHandle the block was allocated with; the memory is freed anyway (SPEC §6.7). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateSharedMemory, NdisFreeSharedMemory } from '../../src/ndis/provider.js';
import { inSetOptions, parameters, recordingProvider, registerDma } from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'ProviderSharedMemory_FreeHandleMismatch';

describe('ProviderSharedMemory_FreeHandleMismatch', () => {
  it('breaks: allocated with the adapter handle, freed with the driver handle; still freed through the provider', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.driver, AllocationHandle));
    expect(s.engine.provider.total.liveCount).toBe(0);
    expect(provider.calls.map((c) => c.handler)).toEqual(['allocate', 'free']);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestDriver', AllocationHandle: 'TestAdapter.SharedMemory1' },
      message: ['NdisHandle TestDriver', 'allocated with TestAdapter', 'still freed'],
      allocationSite: true,
    });
  });

  it('breaks: freed with a NULL NdisHandle', () => {
    const s = sim();
    registerDma(s);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(null, AllocationHandle));
    expect(theFinding(s, RULE).message).toContain('NdisHandle NULL');
    expect(s.engine.provider.total.liveCount).toBe(0);
  });

  it('keeps: the same handle for both calls', () => {
    const s = sim();
    registerDma(s);
    const viaDriver = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.driver, parameters()));
    const viaAdapter = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.driver, viaDriver.AllocationHandle));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, viaAdapter.AllocationHandle));
    expectNoFinding(s, RULE);
  });
});
