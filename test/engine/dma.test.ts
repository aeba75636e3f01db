/**
 * DMA registration (SPEC §4): every documented status and out-value of NdisMRegisterScatterGatherDma,
 * NdisMDeregisterScatterGatherDma, NdisMRegisterDmaChannel and NdisMDeregisterDmaChannel, and the
 * error log (NdisWriteErrorLogEntry).
 */
import { describe, expect, it } from 'vitest';
import { NDIS_ERROR_CODE_RESOURCE_CONFLICT } from '../../src/engine/dma.js';
import {
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_SG_DMA_DESCRIPTION_REVISION_2,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_2,
  NDIS_STATUS_BAD_VERSION,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCE_CONFLICT,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import {
  NdisMAllocateSharedMemoryAsyncEx,
  NdisMDeregisterDmaChannel,
  NdisMDeregisterScatterGatherDma,
  NdisMFreeSharedMemory,
  NdisMRegisterDmaChannel,
  NdisMRegisterScatterGatherDma,
  NdisWriteErrorLogEntry,
} from '../../src/ndis/dma.js';
import type { NDIS_SG_DMA_DESCRIPTION } from '../../src/ndis/types.js';
import { channelDescription, dmaSim, setAttributes, sgDescription } from '../conformance/dma-helpers.js';

const header = (Type: number, Revision: number, Size: number) => ({ Header: { Type, Revision, Size } });

describe('NdisMRegisterScatterGatherDma', () => {
  const cases: { name: string; description: () => unknown; status: number }[] = [
    { name: 'revision 1, Size 36', description: () => sgDescription(), status: NDIS_STATUS_SUCCESS },
    {
      name: 'revision 2, Size 48 (NDIS 6.85 header)',
      description: () =>
        sgDescription(
          header(0x83, NDIS_SG_DMA_DESCRIPTION_REVISION_2, NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_2),
        ),
      status: NDIS_STATUS_SUCCESS,
    },
    {
      name: 'Size = sizeof, larger than the revision (D17)',
      description: () => sgDescription(header(0x83, 1, 40)),
      status: NDIS_STATUS_SUCCESS,
    },
    {
      name: 'Type NDIS_OBJECT_TYPE_DEFAULT',
      description: () => sgDescription(header(NDIS_OBJECT_TYPE_DEFAULT, 1, 36)),
      status: NDIS_STATUS_BAD_VERSION,
    },
    {
      name: 'Revision 3',
      description: () => sgDescription(header(0x83, 3, 64)),
      status: NDIS_STATUS_BAD_VERSION,
    },
    {
      name: 'Revision 2 with a revision-1 Size',
      description: () => sgDescription(header(0x83, 2, 36)),
      status: NDIS_STATUS_BAD_VERSION,
    },
    {
      name: 'Size 35',
      description: () => sgDescription(header(0x83, 1, 35)),
      status: NDIS_STATUS_BAD_VERSION,
    },
    {
      name: 'no Header',
      description: () => ({ ...sgDescription(), Header: undefined }),
      status: NDIS_STATUS_BAD_VERSION,
    },
    { name: 'NULL DmaDescription', description: () => null, status: NDIS_STATUS_BAD_VERSION },
    { name: 'a number as DmaDescription', description: () => 42, status: NDIS_STATUS_BAD_VERSION },
    {
      name: 'Flags not a ULONG',
      description: () => sgDescription({ Flags: -1 }),
      status: NDIS_STATUS_BAD_VERSION,
    },
    {
      name: 'SharedMemAllocateCompleteHandler not a function',
      description: () => sgDescription({ SharedMemAllocateCompleteHandler: 7 as never }),
      status: NDIS_STATUS_BAD_VERSION,
    },
  ];

  it.each(cases)('$name → status $status', ({ description, status }) => {
    const s = dmaSim();
    const d = description();
    const result = s.init(() => NdisMRegisterScatterGatherDma(s.adapter, d as NDIS_SG_DMA_DESCRIPTION));
    expect(result.Status).toBe(status);
    if (status === NDIS_STATUS_SUCCESS) {
      expect(result.NdisMiniportDmaHandle).toBeTypeOf('object');
      expect(result.NdisMiniportDmaHandle).not.toBeNull();
      // One SCATTER_GATHER_LIST header (16) plus an element (24) per page 64 KiB can span, plus one.
      expect((d as NDIS_SG_DMA_DESCRIPTION).ScatterGatherListSize).toBe(16 + 24 * 17);
    } else {
      expect(result.NdisMiniportDmaHandle).toBeNull();
      if (d !== null && typeof d === 'object')
        expect((d as NDIS_SG_DMA_DESCRIPTION).ScatterGatherListSize).toBe(0);
    }
  });

  it('NOT_SUPPORTED without NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER, on a device that is no bus master, and for a second registration (D38)', () => {
    const noFlag = dmaSim({ busMaster: false });
    expect(noFlag.init(() => NdisMRegisterScatterGatherDma(noFlag.adapter, sgDescription()))).toEqual({
      Status: NDIS_STATUS_NOT_SUPPORTED,
      NdisMiniportDmaHandle: null,
    });
    const slave = dmaSim({ device: { busMaster: false, addressBits: 32 } });
    expect(slave.init(() => NdisMRegisterScatterGatherDma(slave.adapter, sgDescription())).Status).toBe(
      NDIS_STATUS_NOT_SUPPORTED,
    );
    const twice = dmaSim();
    twice.registerSg();
    expect(twice.init(() => NdisMRegisterScatterGatherDma(twice.adapter, sgDescription()))).toEqual({
      Status: NDIS_STATUS_NOT_SUPPORTED,
      NdisMiniportDmaHandle: null,
    });
  });

  it('RESOURCES when the fault hook fails the call, which counts as one resource-allocating call', () => {
    const s = dmaSim({ faults: (r) => r.ddi === 'NdisMRegisterScatterGatherDma' });
    const d = sgDescription();
    expect(s.init(() => NdisMRegisterScatterGatherDma(s.adapter, d))).toEqual({
      Status: NDIS_STATUS_RESOURCES,
      NdisMiniportDmaHandle: null,
    });
    expect(d.ScatterGatherListSize).toBe(0);
    expect(s.engine.allocationCalls).toBe(1);
  });

  it('NOT_SUPPORTED for a forged or a driver handle (never a TypeError)', () => {
    const s = dmaSim();
    for (const handle of [null, {}, 12, s.driver]) {
      expect(s.init(() => NdisMRegisterScatterGatherDma(handle as never, sgDescription())).Status).toBe(
        NDIS_STATUS_NOT_SUPPORTED,
      );
    }
  });

  it('keeps the 64-bit flag and the completion handler; a frozen description gets no TypeError', () => {
    const s = dmaSim();
    const handler = () => {};
    const d = Object.freeze(
      sgDescription({ Flags: NDIS_SG_DMA_64_BIT_ADDRESS, SharedMemAllocateCompleteHandler: handler }),
    );
    const result = s.init(() => NdisMRegisterScatterGatherDma(s.adapter, d));
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    const sg = s.engine.dma.peek(s.adapter)?.sg;
    expect(sg?.flags).toBe(NDIS_SG_DMA_64_BIT_ADDRESS);
    expect(sg?.completeHandler).toBe(handler);
    expect(sg?.inInitialize).toBe(true);
  });
});

describe('NdisMDeregisterScatterGatherDma', () => {
  it('kills the handle: the adapter can register again, and the old handle is stale', () => {
    const s = dmaSim();
    const handle = s.registerSg();
    s.halt(() => NdisMDeregisterScatterGatherDma(handle));
    expect(s.engine.dma.peek(s.adapter)?.sg).toBeNull();
    expect(s.engine.violations).toEqual([]);
    s.halt(() => NdisMDeregisterScatterGatherDma(handle));
    expect(s.findings('Ndis_InvalidHandle')).toHaveLength(1);
    expect(s.registerSg()).not.toBe(handle);
  });
});

describe('NdisMRegisterDmaChannel', () => {
  it('SUCCESS returns a handle (MaximumLength -1 means unlimited)', () => {
    const s = dmaSim({ busMaster: false });
    const result = s.init(() => NdisMRegisterDmaChannel(s.adapter, 0, true, channelDescription(), -1));
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(result.MiniportDmaHandle).not.toBeNull();
    expect(s.engine.violations).toEqual([]);
  });

  it('RESOURCE_CONFLICT for a channel already claimed (NDIS logs the error), SUCCESS again once released', () => {
    const s = dmaSim({ busMaster: false });
    const other = s.engine.createAdapter(s.driver, 'OtherAdapter');
    setAttributes(other, false);
    const first = s.init(() =>
      NdisMRegisterDmaChannel(s.adapter, 0, true, channelDescription({ DmaChannel: 3 }), -1),
    );
    const second = s.engine.invoke('MiniportInitializeEx', s.driver, other, 0, () =>
      NdisMRegisterDmaChannel(other, 0, true, channelDescription({ DmaChannel: 3 }), -1),
    );
    expect(second).toEqual({ Status: NDIS_STATUS_RESOURCE_CONFLICT, MiniportDmaHandle: null });
    expect(s.engine.dma.errorLog).toEqual([
      expect.objectContaining({
        adapter: other,
        ErrorCode: NDIS_ERROR_CODE_RESOURCE_CONFLICT,
        writer: 'NDIS',
      }),
    ]);
    s.halt(() => NdisMDeregisterDmaChannel(first.MiniportDmaHandle));
    const third = s.engine.invoke('MiniportInitializeEx', s.driver, other, 0, () =>
      NdisMRegisterDmaChannel(other, 0, true, channelDescription({ DmaChannel: 3 }), -1),
    );
    expect(third.Status).toBe(NDIS_STATUS_SUCCESS);
    // Without DmaChannelSpecified the claim is the adapter's own resource: a second one conflicts.
    const unspecified = channelDescription({ DmaChannelSpecified: false });
    expect(s.init(() => NdisMRegisterDmaChannel(s.adapter, 0, true, unspecified, -1)).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(s.init(() => NdisMRegisterDmaChannel(s.adapter, 0, true, unspecified, -1)).Status).toBe(
      NDIS_STATUS_RESOURCE_CONFLICT,
    );
  });

  it.each([
    ['a bus master (simulated NICs are not on ISA)', { busMaster: true }, channelDescription()],
    ['DmaPort other than 0 (MCA)', { busMaster: false }, channelDescription({ DmaPort: 1 })],
    ['DmaWidth out of range', { busMaster: false }, channelDescription({ DmaWidth: 9 })],
    ['a NULL DmaDescription', { busMaster: false }, null],
  ])('FAILURE for %s', (_name, options, description) => {
    const s = dmaSim(options);
    expect(s.init(() => NdisMRegisterDmaChannel(s.adapter, 0, true, description as never, -1))).toEqual({
      Status: NDIS_STATUS_FAILURE,
      MiniportDmaHandle: null,
    });
  });

  it('FAILURE for a forged adapter handle; RESOURCES from the fault hook', () => {
    const s = dmaSim({ busMaster: false });
    expect(s.init(() => NdisMRegisterDmaChannel({} as never, 0, true, channelDescription(), -1)).Status).toBe(
      NDIS_STATUS_FAILURE,
    );
    s.engine.faults = (r) => r.ddi === 'NdisMRegisterDmaChannel';
    expect(s.init(() => NdisMRegisterDmaChannel(s.adapter, 0, true, channelDescription(), -1))).toEqual({
      Status: NDIS_STATUS_RESOURCES,
      MiniportDmaHandle: null,
    });
  });
});

describe('NdisWriteErrorLogEntry', () => {
  it('records the entry with its values and time', () => {
    const s = dmaSim();
    s.init(() => NdisWriteErrorLogEntry(s.adapter, 0xc0001389, 2, 7, 8));
    expect(s.engine.dma.errorLog).toEqual([
      { adapter: s.adapter, ErrorCode: 0xc0001389, values: [7, 8], time: 0, writer: 'driver' },
    ]);
    expect(s.engine.violations).toEqual([]);
  });
});

describe('IRQL announcements (enterDdi): the table rules see every DMA DDI', () => {
  it('reports each DDI above its documented IRQL under the rule that names it', () => {
    const s = dmaSim();
    const sg = s.registerSg(0, () => {});
    const a = s.allocate(64);
    s.at(2, () => NdisMRegisterScatterGatherDma(s.adapter, sgDescription()), 'MiniportInitializeEx');
    s.at(2, () => NdisMDeregisterScatterGatherDma(sg), 'MiniportHaltEx');
    s.at(3, () => NdisWriteErrorLogEntry(s.adapter, 1, 0));
    s.at(
      3,
      () => NdisMFreeSharedMemory(s.adapter, 64, true, a.VirtualAddress, a.PhysicalAddress),
      'MiniportHaltEx',
    );
    expect(s.engine.violations.map((v) => [v.rule, v.ddi])).toEqual([
      ['Irql_Gather_DMA_Function', 'NdisMRegisterScatterGatherDma'],
      ['NdisMRegisterScatterGatherDma_AlreadyRegistered', 'NdisMRegisterScatterGatherDma'],
      ['Irql_Gather_DMA_Function', 'NdisMDeregisterScatterGatherDma'],
      ['Dma_DeregisterWithSharedMemory', 'NdisMDeregisterScatterGatherDma'],
      ['Irql_Miscellaneous_Function', 'NdisWriteErrorLogEntry'],
      ['Irql_Miniport_Driver_Function', 'NdisMFreeSharedMemory'],
    ]);
    const channel = dmaSim({ busMaster: false });
    const handle = channel.at(
      1,
      () => NdisMRegisterDmaChannel(channel.adapter, 0, true, channelDescription(), -1),
      'MiniportInitializeEx',
    );
    channel.at(1, () => NdisMDeregisterDmaChannel(handle.MiniportDmaHandle), 'MiniportHaltEx');
    expect(
      channel.engine.violations.map((v) => [
        v.rule,
        v.ddi,
        v.args.MiniportAdapterHandle ?? v.args.MiniportDmaHandle,
      ]),
    ).toEqual([
      ['Irql_Miniport_Driver_Function', 'NdisMRegisterDmaChannel', 'TestAdapter'],
      ['Irql_Miniport_Driver_Function', 'NdisMDeregisterDmaChannel', 'TestAdapter.DmaChannel1'],
    ]);
  });

  it('NdisMAllocateSharedMemoryAsyncEx at DISPATCH_LEVEL and NdisMFreeSharedMemory at DISPATCH_LEVEL are allowed', () => {
    const s = dmaSim();
    const sg = s.registerSg(0, () => {});
    const a = s.allocate(64);
    s.at(2, () => NdisMAllocateSharedMemoryAsyncEx(sg, 64, true, null), 'MiniportDpc');
    s.at(
      2,
      () => NdisMFreeSharedMemory(s.adapter, 64, true, a.VirtualAddress, a.PhysicalAddress),
      'MiniportDpc',
    );
    s.engine.dma.drainCompletions(s.adapter);
    expect(s.engine.violations).toEqual([]);
  });
});
