/** NdisAllocateSharedMemory_DmaNotRegistered: a miniport registers SG DMA or a DMA channel before NdisAllocateSharedMemory (SPEC §6.6, D23). */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_FAILURE, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMRegisterDmaChannel } from '../../src/ndis/dma.js';
import { NdisAllocateSharedMemory } from '../../src/ndis/provider.js';
import {
  deregisterDma,
  inSetOptions,
  parameterArgs,
  parameters,
  recordingProvider,
  registerDma,
} from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisAllocateSharedMemory_DmaNotRegistered';
const FAILED = { Status: NDIS_STATUS_FAILURE, AllocationHandle: null };

describe('NdisAllocateSharedMemory_DmaNotRegistered', () => {
  it('breaks: an adapter handle with no DMA registration; FAILURE, and the provider is not called', () => {
    const s = sim();
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()))).toEqual(FAILED);
    expect(provider.calls).toEqual([]);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', SharedMemoryParameters: parameterArgs() },
      message: ['adapter handle TestAdapter', 'NDIS_STATUS_FAILURE (D23)'],
      allocationSite: false,
    });
  });

  it('breaks: a driver handle none of whose adapters registered DMA, and an adapter whose SG DMA was deregistered', () => {
    const s = sim();
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.driver, parameters()))).toEqual(FAILED);
    const handle = registerDma(s);
    deregisterDma(s, handle);
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters()))).toEqual(FAILED);
    const [viaDriver, afterDeregister] = s.findings(RULE);
    expect(viaDriver.message).toContain('driver handle TestDriver, none of whose adapters has');
    expect(viaDriver.adapter).toBeNull();
    expect(afterDeregister.adapter).toBe('TestAdapter');
  });

  it('keeps: after NdisMRegisterScatterGatherDma, through the adapter and through the driver handle', () => {
    const s = sim();
    registerDma(s);
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters())).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.driver, parameters())).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expectNoFinding(s, RULE);
  });

  it('keeps: after NdisMRegisterDmaChannel (a DMA channel satisfies the note too)', () => {
    const s = sim();
    s.adapter.registrationAttributesSet = true;
    const channel = s.at(
      PASSIVE_LEVEL,
      () =>
        NdisMRegisterDmaChannel(
          s.adapter,
          0,
          true,
          {
            DemandMode: false,
            AutoInitialize: false,
            DmaChannelSpecified: false,
            DmaWidth: 2,
            DmaSpeed: 0,
            DmaPort: 0,
            DmaChannel: 0,
          },
          0x10000,
        ),
      'MiniportInitializeEx',
    );
    expect(channel.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters())).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expectNoFinding(s, RULE);
  });
});
