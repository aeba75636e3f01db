/**
 * Bad handles and arguments of the DMA and shared-memory DDIs, reported by the generic
 * Ndis_InvalidHandle and Ddi_InvalidArgument rules through src/verifier/rules/dma/invalid.ts: each
 * call fails the documented way or does nothing, never with a TypeError.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import {
  NDIS_STATUS_BAD_VERSION,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_SUPPORTED,
} from '../../src/ndis/constants.js';
import {
  NdisMAllocateSharedMemory,
  NdisMAllocateSharedMemoryAsyncEx,
  NdisMDeregisterDmaChannel,
  NdisMDeregisterScatterGatherDma,
  NdisMFreeSharedMemory,
  NdisMRegisterDmaChannel,
  NdisMRegisterScatterGatherDma,
  NdisWriteErrorLogEntry,
} from '../../src/ndis/dma.js';
import { channelDescription, dmaSim, sgDescription } from '../conformance/dma-helpers.js';
import { expectFinding, expectNoFinding, hex, theFinding } from '../conformance/helpers.js';

const RULE = 'Ndis_InvalidHandle';

describe('Ndis_InvalidHandle on the DMA DDIs', () => {
  it('breaks: NdisMRegisterScatterGatherDma with a forged adapter handle returns NOT_SUPPORTED', () => {
    const s = dmaSim();
    const result = s.init(() => NdisMRegisterScatterGatherDma({} as never, sgDescription()));
    expect(result).toEqual({ Status: NDIS_STATUS_NOT_SUPPORTED, NdisMiniportDmaHandle: null });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMRegisterScatterGatherDma',
      irql: 0,
      args: {
        MiniportAdapterHandle: '<object that is not an NDIS handle>',
        DmaDescription: 'Header {Type 0x83, Revision 1, Size 36}, Flags 0x0, MaximumPhysicalMapping 65536',
      },
      message: ['not a live miniport adapter handle', 'NDIS_STATUS_NOT_SUPPORTED'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
  });

  it('breaks: a stale SG DMA handle, a channel handle to the SG deregistration, and a handle of another run', () => {
    const s = dmaSim();
    const sg = s.registerSg();
    s.halt(() => NdisMDeregisterScatterGatherDma(sg));
    s.halt(() => NdisMDeregisterScatterGatherDma(sg));
    const c = dmaSim({ busMaster: false });
    const channel = c.registerChannel();
    c.halt(() => NdisMDeregisterScatterGatherDma(channel));
    const foreign = new Engine().createAdapter(new Engine().createDriver('X'), 'Foreign');
    c.halt(() => NdisMDeregisterDmaChannel(foreign as never));
    expect(s.findings(RULE).map((v) => v.message)).toEqual([expect.stringContaining('already deregistered')]);
    expect(c.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('not a handle from NdisMRegisterScatterGatherDma'),
      expect.stringContaining('not a handle from NdisMRegisterDmaChannel'),
    ]);
    // The channel handle passed to the wrong DDI was not released.
    expect(c.engine.dma.peek(c.adapter)?.channels).toHaveLength(1);
  });

  it('breaks: forged handles to the allocation, free, channel and error-log DDIs (never a TypeError)', () => {
    const s = dmaSim();
    s.registerSg();
    const a = s.allocate(64);
    s.init(() => {
      expect(NdisMAllocateSharedMemory(7 as never, 64, true)).toEqual({
        VirtualAddress: 0,
        PhysicalAddress: 0,
      });
      expect(NdisMAllocateSharedMemoryAsyncEx(null, 64, true, null)).toBe(NDIS_STATUS_FAILURE);
      expect(NdisMRegisterDmaChannel(s.driver, 0, true, channelDescription(), -1).Status).toBe(
        NDIS_STATUS_FAILURE,
      );
      NdisWriteErrorLogEntry('adapter' as never, 1, 0);
    });
    s.halt(() => NdisMFreeSharedMemory(null, 64, true, a.VirtualAddress, a.PhysicalAddress));
    const found = s.findings(RULE);
    expect(found.map((v) => v.ddi)).toEqual([
      'NdisMAllocateSharedMemory',
      'NdisMAllocateSharedMemoryAsyncEx',
      'NdisMRegisterDmaChannel',
      'NdisWriteErrorLogEntry',
      'NdisMFreeSharedMemory',
    ]);
    expect(found[4].args.VirtualAddress).toBe(hex(a.VirtualAddress));
    expect(s.engine.dma.errorLog).toEqual([]);
  });

  it('keeps: live handles of this run', () => {
    const s = dmaSim();
    const sg = s.registerSg(0, () => {});
    const a = s.allocate(64);
    s.init(() => NdisMAllocateSharedMemoryAsyncEx(sg, 64, true, null));
    s.engine.scheduler.runUntilIdle();
    s.halt(() => {
      NdisMFreeSharedMemory(s.adapter, 64, true, a.VirtualAddress, a.PhysicalAddress);
      NdisWriteErrorLogEntry(s.adapter, 1, 0);
    });
    expectNoFinding(s, RULE);
  });
});

const ARG_RULE = 'Ddi_InvalidArgument';

describe('Ddi_InvalidArgument on the DMA DDIs', () => {
  it('breaks: NdisMAllocateSharedMemory with Length 0 returns NULL', () => {
    const s = dmaSim();
    s.registerSg();
    expect(s.allocate(0)).toEqual({ VirtualAddress: 0, PhysicalAddress: 0 });
    expectFinding(theFinding(s, ARG_RULE), ARG_RULE, {
      ddi: 'NdisMAllocateSharedMemory',
      irql: 0,
      args: { MiniportAdapterHandle: 'TestAdapter', Length: 0, Cached: 'TRUE' },
      message: ['Length is not a ULONG above 0', 'returns NULL'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
  });

  it('breaks: bad fields of the DMA descriptions, bad Length/Cached, and a wrong NumberOfErrorValues', () => {
    const s = dmaSim();
    const sg = s.registerSg(0, () => {});
    s.init(() => {
      expect(
        NdisMRegisterScatterGatherDma(s.adapter, sgDescription({ MaximumPhysicalMapping: 1.5 })).Status,
      ).toBe(NDIS_STATUS_BAD_VERSION);
      expect(NdisMAllocateSharedMemory(s.adapter, 64, 'yes' as never).VirtualAddress).toBe(0);
      expect(NdisMAllocateSharedMemoryAsyncEx(sg, -5, true, null)).toBe(NDIS_STATUS_FAILURE);
      NdisWriteErrorLogEntry(s.adapter, 1, 3, 7);
    });
    const c = dmaSim({ busMaster: false }); // activates its own engine
    c.init(() => {
      expect(
        NdisMRegisterDmaChannel(c.adapter, 0, true, channelDescription({ DmaPort: 0x300 }), -1).Status,
      ).toBe(NDIS_STATUS_FAILURE);
      expect(NdisMRegisterDmaChannel(c.adapter, 0, 'x' as never, channelDescription(), -1).Status).toBe(
        NDIS_STATUS_FAILURE,
      );
    });
    expect(s.findings(ARG_RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('MaximumPhysicalMapping is not valid; it returns NDIS_STATUS_BAD_VERSION'),
      expect.stringContaining('Cached is not a BOOLEAN'),
      expect.stringContaining('Length is not a ULONG'),
      expect.stringContaining('NumberOfErrorValues is not the number of error values passed'),
    ]);
    expect(s.engine.dma.errorLog).toHaveLength(1);
    expect(c.findings(ARG_RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('DmaPort is not valid; it returns NDIS_STATUS_FAILURE'),
      expect.stringContaining('Dma32BitAddresses is not valid'),
    ]);
  });

  it('keeps: well-formed arguments', () => {
    const s = dmaSim();
    s.registerSg();
    s.allocate(64);
    s.init(() => NdisWriteErrorLogEntry(s.adapter, 1, 2, 3, 4));
    expectNoFinding(s, ARG_RULE);
  });
});
