import { describe, expect, it } from 'vitest';
import { NdisMDeregisterDmaChannel } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

describe('Leak_DmaChannel', () => {
  it('breaks: a channel still claimed when MiniportHaltEx returns', () => {
    const s = dmaSim({ busMaster: false });
    s.registerChannel(2);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectFinding(theFinding(s, 'Leak_DmaChannel'), 'Leak_DmaChannel', {
      ddi: 'NdisMRegisterDmaChannel',
      irql: 0,
      args: { MiniportAdapterHandle: 'TestAdapter', MiniportDmaHandle: 'TestAdapter.DmaChannel1' },
      message: ['still claimed when MiniportHaltEx returned', 'NdisMDeregisterDmaChannel'],
      allocationSite: true,
      callback: null,
    });
  });

  it('breaks: at a failed initialize, reported once (not again at unload)', () => {
    const s = dmaSim({ busMaster: false });
    s.registerChannel(2);
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expect(s.findings('Leak_DmaChannel').map((v) => v.message)).toEqual([
      expect.stringContaining('MiniportInitializeEx returned a failure'),
    ]);
  });

  it('breaks: at unload, a channel no earlier edge reported', () => {
    const s = dmaSim({ busMaster: false });
    s.registerChannel(2);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expect(s.findings('Leak_DmaChannel').map((v) => v.message)).toEqual([
      expect.stringContaining('the driver unloaded'),
    ]);
  });

  it('keeps: the channel released in MiniportHaltEx', () => {
    const s = dmaSim({ busMaster: false });
    const handle = s.registerChannel(2);
    s.halt(() => NdisMDeregisterDmaChannel(handle));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, 'Leak_DmaChannel');
  });
});
