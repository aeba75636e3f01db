/** ProviderSharedMemory_DoubleFree: shared memory from NdisAllocateSharedMemory is freed once; a second free is recorded and ignored (SPEC §6.7, D21). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateSharedMemory, NdisFreeSharedMemory } from '../../src/ndis/provider.js';
import {
  inSetOptions,
  PAGE,
  parameters,
  recordingProvider,
  registerDma,
} from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'ProviderSharedMemory_DoubleFree';

describe('ProviderSharedMemory_DoubleFree', () => {
  it('breaks: HAL memory freed twice; the second free changes nothing', () => {
    const s = sim();
    registerDma(s);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateSharedMemory(s.adapter, parameters(3 * PAGE)),
    );
    const kept = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, AllocationHandle));
    const used = s.engine.physical.usedPages;
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, AllocationHandle));
    expect(s.engine.physical.usedPages).toBe(used);
    expect(s.engine.provider.total.liveCount).toBe(1);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', AllocationHandle: 'TestAdapter.SharedMemory1' },
      message: ['TestAdapter.SharedMemory1 (12288 bytes) that was already freed', 'nothing is freed (D21)'],
      allocationSite: true,
    });
    expect(kept.AllocationHandle).not.toBeNull();
  });

  it('breaks: provider memory freed twice; NetFreeSharedMemory runs once', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.driver, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.driver, AllocationHandle));
    s.at(DISPATCH_LEVEL, () => NdisFreeSharedMemory(s.driver, AllocationHandle));
    expect(provider.calls.map((c) => c.handler)).toEqual(['allocate', 'free']);
    const v = theFinding(s, RULE);
    expect(v.driver).toBe('TestDriver');
    expect(v.adapter).toBeNull();
  });

  it('keeps: two blocks, each freed once', () => {
    const s = sim();
    registerDma(s);
    const a = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    const b = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, b.AllocationHandle));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, a.AllocationHandle));
    expectNoFinding(s, RULE);
  });
});
