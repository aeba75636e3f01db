/** NetAllocateSharedMemory_Return: a provider returns a documented status, and a success fills VirtualAddress and the SG list (SPEC §6.3, §6.6). */
import { describe, expect, it } from 'vitest';
import {
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import { NdisAllocateSharedMemory } from '../../src/ndis/provider.js';
import {
  inSetOptions,
  parameterArgs,
  parameters,
  recordingProvider,
  registerDma,
} from '../engine/provider-fixture.js';
import { type Sim, sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NetAllocateSharedMemory_Return';

function withProvider(): { s: Sim; provider: ReturnType<typeof recordingProvider> } {
  const s = sim();
  registerDma(s);
  const provider = recordingProvider(s);
  inSetOptions(s, provider.structure);
  return { s, provider };
}

describe('NetAllocateSharedMemory_Return', () => {
  it('breaks: NDIS_STATUS_PENDING, which the page does not list; NdisAllocateSharedMemory returns FAILURE', () => {
    const { s, provider } = withProvider();
    provider.next = { Status: NDIS_STATUS_PENDING, SharedMemoryProviderContext: null };
    const result = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    expect(result).toEqual({ Status: NDIS_STATUS_FAILURE, AllocationHandle: null });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NetAllocateSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { ProviderContext: 'ProviderContext', SharedMemoryParameters: parameterArgs() },
      message: [
        'returned NDIS_STATUS_PENDING',
        'does not list',
        'NdisAllocateSharedMemory returns NDIS_STATUS_FAILURE',
      ],
      adapter: null,
      allocationSite: false,
    });
  });

  it('breaks: no result object at all', () => {
    const { s, provider } = withProvider();
    provider.next = undefined;
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters())).Status).toBe(
      NDIS_STATUS_FAILURE,
    );
    expect(theFinding(s, RULE).message).toContain(
      'returned undefined, not { Status, SharedMemoryProviderContext }',
    );
  });

  it('breaks: SUCCESS without a VirtualAddress, and SUCCESS with a list that does not cover Length (NDIS still returns SUCCESS)', () => {
    const { s, provider } = withProvider();
    provider.next = { Status: NDIS_STATUS_SUCCESS, SharedMemoryProviderContext: 'ctx' };
    const noAddress = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()));
    expect(noAddress.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(noAddress.AllocationHandle).not.toBeNull();
    const short = parameters(8192, 4, { VirtualAddress: -0x1000 });
    short.SGListBuffer = { NumberOfElements: 1, Elements: [{ Address: 0x2000, Length: 4096 }] };
    s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, short));
    expect(s.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('without filling the block’s VirtualAddress'),
      expect.stringContaining('without filling scatter-gather elements whose Lengths cover Length'),
    ]);
  });

  it('keeps: a complete SUCCESS, and each documented failure status passed on to the caller', () => {
    const { s, provider } = withProvider();
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters())).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    for (const status of [NDIS_STATUS_RESOURCES, NDIS_STATUS_INVALID_PARAMETER, NDIS_STATUS_FAILURE]) {
      provider.next = { Status: status, SharedMemoryProviderContext: null };
      expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()))).toEqual({
        Status: status,
        AllocationHandle: null,
      });
    }
    expectNoFinding(s, RULE);
  });
});
