import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_NOT_SUPPORTED } from '../../src/ndis/constants.js';
import { NdisMDeregisterScatterGatherDma, NdisMRegisterScatterGatherDma } from '../../src/ndis/dma.js';
import { dmaSim, sgDescription } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

describe('NdisMRegisterScatterGatherDma_AlreadyRegistered', () => {
  it('breaks: a second registration while the first is live returns NOT_SUPPORTED (D38)', () => {
    const s = dmaSim();
    const first = s.registerSg();
    const second = s.init(() => NdisMRegisterScatterGatherDma(s.adapter, sgDescription({ Flags: 1 })));
    expect(second).toEqual({ Status: NDIS_STATUS_NOT_SUPPORTED, NdisMiniportDmaHandle: null });
    expect(s.engine.dma.peek(s.adapter)?.sg).toBe(first);
    expectFinding(
      theFinding(s, 'NdisMRegisterScatterGatherDma_AlreadyRegistered'),
      'NdisMRegisterScatterGatherDma_AlreadyRegistered',
      {
        ddi: 'NdisMRegisterScatterGatherDma',
        irql: 0,
        args: {
          MiniportAdapterHandle: 'TestAdapter',
          DmaDescription: 'Header {Type 0x83, Revision 1, Size 36}, Flags 0x1, MaximumPhysicalMapping 65536',
        },
        message: ['TestAdapter.SgDma1', 'NDIS_STATUS_NOT_SUPPORTED'],
        allocationSite: true,
        callback: 'MiniportInitializeEx',
      },
    );
  });

  it('keeps: registering again after deregistering', () => {
    const s = dmaSim();
    const first = s.registerSg();
    s.init(() => NdisMDeregisterScatterGatherDma(first));
    s.registerSg();
    expectNoFinding(s, 'NdisMRegisterScatterGatherDma_AlreadyRegistered');
  });
});
