import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_FAILURE } from '../../src/ndis/constants.js';
import { NdisMAllocateSharedMemory, NdisWriteErrorLogEntry } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

const OUT_OF_RESOURCES = 0xc0001389;
const failShared = (r: { ddi: string }) => r.ddi === 'NdisMAllocateSharedMemory';

describe('WriteErrorLog', () => {
  it('breaks: NdisMAllocateSharedMemory fails in MiniportInitializeEx, which returns without NdisWriteErrorLogEntry', () => {
    const s = dmaSim({ faults: failShared });
    s.registerSg();
    const status = s.init(() => {
      const { VirtualAddress } = NdisMAllocateSharedMemory(s.adapter, 65536, true);
      return VirtualAddress === 0 ? NDIS_STATUS_FAILURE : 0;
    });
    expect(status).toBe(NDIS_STATUS_FAILURE);
    expectFinding(theFinding(s, 'WriteErrorLog'), 'WriteErrorLog', {
      ddi: 'NdisMAllocateSharedMemory',
      irql: 0,
      args: { MiniportAdapterHandle: 'TestAdapter', Length: 65536, Cached: 'TRUE' },
      message: ['failed in MiniportInitializeEx', 'without calling NdisWriteErrorLogEntry'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
  });

  it('breaks: an entry written before the failure does not count', () => {
    const s = dmaSim({ faults: failShared });
    s.registerSg();
    s.init(() => {
      NdisWriteErrorLogEntry(s.adapter, OUT_OF_RESOURCES, 0);
      NdisMAllocateSharedMemory(s.adapter, 100, true);
      NdisMAllocateSharedMemory(s.adapter, 50, true);
    });
    expect(theFinding(s, 'WriteErrorLog').message).toContain('2 failed allocations');
  });

  it('keeps: the failure is logged before MiniportInitializeEx returns', () => {
    const s = dmaSim({ faults: failShared });
    s.registerSg();
    s.init(() => {
      const { VirtualAddress } = NdisMAllocateSharedMemory(s.adapter, 65536, true);
      if (VirtualAddress === 0) NdisWriteErrorLogEntry(s.adapter, OUT_OF_RESOURCES, 1, 65536);
      return NDIS_STATUS_FAILURE;
    });
    expect(s.engine.dma.errorLog).toHaveLength(1);
    expectNoFinding(s, 'WriteErrorLog');
  });

  it('keeps: allocations that succeed, and failures outside MiniportInitializeEx (not in the rule scope)', () => {
    const s = dmaSim();
    s.registerSg();
    s.allocate(100);
    s.engine.faults = failShared;
    s.at(0, () => NdisMAllocateSharedMemory(s.adapter, 100, true), 'MiniportRestart');
    s.init(() => 0);
    expectNoFinding(s, 'WriteErrorLog');
  });
});
