import { describe, expect, it } from 'vitest';
import { NdisMDeregisterDmaChannel } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

describe('NdisMDeregisterDmaChannel_OutsideInitializeOrHalt', () => {
  it('breaks: NdisMDeregisterDmaChannel from MiniportPause is recorded; the channel is released (D37)', () => {
    const s = dmaSim({ busMaster: false });
    const handle = s.registerChannel(6);
    s.at(0, () => NdisMDeregisterDmaChannel(handle), 'MiniportPause');
    expect(s.engine.dma.peek(s.adapter)?.channels).toEqual([]);
    expectFinding(
      theFinding(s, 'NdisMDeregisterDmaChannel_OutsideInitializeOrHalt'),
      'NdisMDeregisterDmaChannel_OutsideInitializeOrHalt',
      {
        ddi: 'NdisMDeregisterDmaChannel',
        irql: 0,
        args: { MiniportDmaHandle: 'TestAdapter.DmaChannel1' },
        message: ['outside MiniportInitializeEx and MiniportHaltEx', 'released'],
        allocationSite: false,
        callback: 'MiniportPause',
      },
    );
  });

  it('keeps: from MiniportHaltEx, and from MiniportInitializeEx', () => {
    const s = dmaSim({ busMaster: false });
    const a = s.registerChannel(6);
    s.halt(() => NdisMDeregisterDmaChannel(a));
    const b = s.registerChannel(6);
    s.init(() => NdisMDeregisterDmaChannel(b));
    expectNoFinding(s, 'NdisMDeregisterDmaChannel_OutsideInitializeOrHalt');
  });
});
