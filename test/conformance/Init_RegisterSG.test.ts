import { afterEach, describe, expect, it } from 'vitest';
import type { SgDmaRegistration } from '../../src/engine/dma-objects.js';
import type { MiniportAdapter } from '../../src/engine/objects.js';
import { Host } from '../../src/host/index.js';
import { activate } from '../../src/ndis/active.js';
import { NDIS_STATUS_FAILURE, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMDeregisterScatterGatherDma, NdisMRegisterScatterGatherDma } from '../../src/ndis/dma.js';
import { NdisMSetMiniportAttributes } from '../../src/ndis/lifecycle.js';
import { generalAttributes, kitDriver, registrationAttributes } from '../host/driver-kit.js';
import { dmaSim, sgDescription } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

afterEach(() => {
  activate(null);
});

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

  it('keeps: a correct re-initialize after a failed one leaked SG DMA registers again (NDIS took the leak back)', () => {
    const statuses: number[] = [];
    const handles: unknown[] = [];
    let calls = 0;
    const kit = kitDriver({
      overrides: {
        InitializeHandlerEx: (NdisMiniportHandle: MiniportAdapter) => {
          const first = calls++ === 0;
          NdisMSetMiniportAttributes(NdisMiniportHandle, registrationAttributes({ first }));
          const registered = NdisMRegisterScatterGatherDma(NdisMiniportHandle, sgDescription());
          statuses.push(registered.Status);
          handles.push(registered.NdisMiniportDmaHandle);
          if (first) return NDIS_STATUS_FAILURE; // without NdisMDeregisterScatterGatherDma
          NdisMSetMiniportAttributes(NdisMiniportHandle, generalAttributes());
          return NDIS_STATUS_SUCCESS;
        },
      },
    });
    const host = new Host(kit, { driverName: 'Kit' });
    const result = host.run([
      { step: 'load' },
      { step: 'addDevice', name: 'nic0' },
      { step: 'initialize', adapter: 'nic0' },
      { step: 'initialize', adapter: 'nic0' },
    ]);
    // The second registration is no NdisMRegisterScatterGatherDma_AlreadyRegistered (D38).
    expect(statuses).toEqual([NDIS_STATUS_SUCCESS, NDIS_STATUS_SUCCESS]);
    expect(result.violations.map((v) => v.rule)).toEqual(['Init_RegisterSG']);
    expect(result.violations[0].message).toContain('MiniportInitializeEx returned a failure');
    expect(result.adapters.nic0).toBe('Paused');
    // The leaked registration was taken back at the failed initialize: its handle is stale.
    const [leaked, second] = handles as SgDmaRegistration[];
    expect(leaked.live).toBe(false);
    expect(host.engine.dma.peek(second.adapter)?.sg).toBe(second);
  });
});
