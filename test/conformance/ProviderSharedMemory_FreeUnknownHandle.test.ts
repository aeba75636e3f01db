/** ProviderSharedMemory_FreeUnknownHandle: NdisFreeSharedMemory gets an AllocationHandle NdisAllocateSharedMemory returned; otherwise nothing is freed (SPEC §6.7, D21). */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { NdisAllocateSharedMemory, NdisFreeSharedMemory } from '../../src/ndis/provider.js';
import { inSetOptions, parameters, recordingProvider, registerDma } from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'ProviderSharedMemory_FreeUnknownHandle';

describe('ProviderSharedMemory_FreeUnknownHandle', () => {
  it('breaks: a handle NdisAllocateSharedMemory never returned; nothing is freed', () => {
    const s = sim();
    registerDma(s);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, { name: 'MadeUp' }));
    expect(s.engine.provider.total.liveCount).toBe(1);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', AllocationHandle: 'MadeUp' },
      message: ['AllocationHandle MadeUp', 'never returned', 'nothing is freed (D21)'],
      allocationSite: false,
    });
    expect(AllocationHandle).not.toBeNull();
  });

  it('breaks: the SharedMemoryHandle passed in place of the AllocationHandle (named, with its allocation site)', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const p = parameters();
    s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, p));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, p.SharedMemoryHandle));
    expect(provider.calls.map((c) => c.handler)).toEqual(['allocate']);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', AllocationHandle: 'TestAdapter.SharedMemory1.SharedMemoryHandle' },
      message: ['the SharedMemoryHandle of TestAdapter.SharedMemory1', 'it takes the AllocationHandle'],
      allocationSite: true,
    });
  });

  it("breaks: NULL, a number, and another run's handle", () => {
    const s = sim();
    registerDma(s);
    const other = new Engine();
    const foreign = other.provider; // any object of another run is unknown here
    for (const handle of [null, 0x1000, foreign])
      s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, handle as never));
    expect(s.findings(RULE)).toHaveLength(3);
  });

  it('keeps: the AllocationHandle NdisAllocateSharedMemory returned', () => {
    const s = sim();
    registerDma(s);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, AllocationHandle));
    expect(s.engine.provider.total.liveCount).toBe(0);
    expectNoFinding(s, RULE);
  });
});
