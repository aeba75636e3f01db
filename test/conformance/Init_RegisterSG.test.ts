import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_FAILURE, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMDeregisterScatterGatherDma } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

describe('Init_RegisterSG', () => {
  it('breaks: SG DMA registered in MiniportInitializeEx is still registered when MiniportHaltEx returns', () => {
    const s = dmaSim();
    s.registerSg();
    s.halt(() => {});
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectFinding(theFinding(s, 'Init_RegisterSG'), 'Init_RegisterSG', {
      ddi: 'NdisMRegisterScatterGatherDma',
      irql: 0,
      args: { MiniportAdapterHandle: 'TestAdapter', NdisMiniportDmaHandle: 'TestAdapter.SgDma1' },
      message: [
        'registered in MiniportInitializeEx',
        'still registered when MiniportHaltEx returned',
        'in MiniportHaltEx',
      ],
      allocationSite: true,
      callback: null,
    });
  });

  it('breaks: a failing MiniportInitializeEx returns with SG DMA still registered', () => {
    const s = dmaSim();
    const status = s.init(() => {
      s.registerSg();
      return NDIS_STATUS_FAILURE;
    });
    expect(status).toBe(NDIS_STATUS_FAILURE);
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    expect(theFinding(s, 'Init_RegisterSG').message).toContain('MiniportInitializeEx returned a failure');
  });

  it('breaks: NdisMDeregisterScatterGatherDma called outside MiniportHaltEx and MiniportInitializeEx', () => {
    const s = dmaSim();
    const handle = s.registerSg();
    s.at(0, () => NdisMDeregisterScatterGatherDma(handle), 'MiniportPause');
    expectFinding(theFinding(s, 'Init_RegisterSG'), 'Init_RegisterSG', {
      ddi: 'NdisMDeregisterScatterGatherDma',
      irql: 0,
      args: { NdisMiniportDmaHandle: 'TestAdapter.SgDma1' },
      message: ['outside MiniportHaltEx'],
      allocationSite: false,
      callback: 'MiniportPause',
    });
  });

  it('keeps: deregistered in MiniportHaltEx, or on the initialize failure path', () => {
    const s = dmaSim();
    const handle = s.registerSg();
    s.halt(() => NdisMDeregisterScatterGatherDma(handle));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    const f = dmaSim();
    const status = f.init(() => {
      const h = f.registerSg();
      NdisMDeregisterScatterGatherDma(h);
      return NDIS_STATUS_FAILURE;
    });
    f.engine.lifecycleEdge('initializeFailed', f.driver, f.adapter);
    expect(status).not.toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, 'Init_RegisterSG');
    expectNoFinding(f, 'Init_RegisterSG');
  });
});
