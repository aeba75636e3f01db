import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_FAILURE, NDIS_STATUS_PENDING } from '../../src/ndis/constants.js';
import { NdisMAllocateSharedMemoryAsyncEx } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

const RULE = 'NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler';

describe('NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler', () => {
  it('breaks: an SG DMA handle whose description had no SharedMemAllocateCompleteHandler (D5)', () => {
    const s = dmaSim();
    const handle = s.registerSg(0, null);
    const status = s.at(2, () => NdisMAllocateSharedMemoryAsyncEx(handle, 1500, true, null), 'MiniportDpc');
    expect(status).toBe(NDIS_STATUS_FAILURE);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMAllocateSharedMemoryAsyncEx',
      irql: 2,
      args: { MiniportDmaHandle: 'TestAdapter.SgDma1', Length: 1500, Cached: 'TRUE', Context: 'NULL' },
      message: ['no SharedMemAllocateCompleteHandler', 'NDIS_STATUS_FAILURE'],
      allocationSite: false,
      callback: 'MiniportDpc',
    });
  });

  it('breaks: a DMA channel handle (subordinate DMA cannot allocate asynchronously)', () => {
    const s = dmaSim({ busMaster: false });
    const handle = s.registerChannel();
    expect(s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null))).toBe(
      NDIS_STATUS_FAILURE,
    );
    expect(theFinding(s, RULE).message).toContain('DMA channel handle');
  });

  it('keeps: an SG DMA handle with a completion handler', () => {
    const s = dmaSim();
    const handle = s.registerSg(0, () => {});
    expect(s.init(() => NdisMAllocateSharedMemoryAsyncEx(handle, 100, false, null))).toBe(
      NDIS_STATUS_PENDING,
    );
    expectNoFinding(s, RULE);
  });
});
