import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_NOT_SUPPORTED, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import {
  NdisMAllocateSharedMemory,
  NdisMRegisterDmaChannel,
  NdisMRegisterScatterGatherDma,
} from '../../src/ndis/dma.js';
import { channelDescription, dmaSim, sgDescription } from './dma-helpers.js';
import { expectFinding, expectNoFinding } from './helpers.js';

describe('Dma_RegisterBeforeAttributes', () => {
  it('breaks: NdisMRegisterScatterGatherDma before NdisMSetMiniportAttributes (and it is NOT_SUPPORTED)', () => {
    const s = dmaSim({ attributes: false });
    const result = s.init(() => NdisMRegisterScatterGatherDma(s.adapter, sgDescription()));
    expect(result.Status).toBe(NDIS_STATUS_NOT_SUPPORTED);
    const found = s.findings('Dma_RegisterBeforeAttributes');
    expect(found).toHaveLength(1);
    expectFinding(found[0], 'Dma_RegisterBeforeAttributes', {
      ddi: 'NdisMRegisterScatterGatherDma',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        DmaDescription: 'Header {Type 0x83, Revision 1, Size 36}, Flags 0x0, MaximumPhysicalMapping 65536',
      },
      message: ['before NdisMSetMiniportAttributes', 'NDIS_STATUS_NOT_SUPPORTED'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
  });

  it('breaks: NdisMRegisterDmaChannel and NdisMAllocateSharedMemory before the attributes (the channel is claimed)', () => {
    const s = dmaSim({ attributes: false });
    const result = s.init(() => NdisMRegisterDmaChannel(s.adapter, 0, true, channelDescription(), -1));
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    const memory = s.init(() => NdisMAllocateSharedMemory(s.adapter, 100, true));
    expect(memory.VirtualAddress).not.toBe(0);
    expect(s.findings('Dma_RegisterBeforeAttributes').map((v) => v.ddi)).toEqual([
      'NdisMRegisterDmaChannel',
      'NdisMAllocateSharedMemory',
    ]);
  });

  it('keeps: registration and allocation after the attributes were set', () => {
    const s = dmaSim();
    s.registerSg();
    s.allocate(64);
    expectNoFinding(s, 'Dma_RegisterBeforeAttributes');
  });
});
