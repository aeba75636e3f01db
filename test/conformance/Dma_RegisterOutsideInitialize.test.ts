import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMRegisterDmaChannel, NdisMRegisterScatterGatherDma } from '../../src/ndis/dma.js';
import { channelDescription, dmaSim, sgDescription } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

describe('Dma_RegisterOutsideInitialize', () => {
  it('breaks: NdisMRegisterScatterGatherDma from MiniportRestart is recorded, and the registration proceeds (D37)', () => {
    const s = dmaSim();
    const result = s.at(
      0,
      () => NdisMRegisterScatterGatherDma(s.adapter, sgDescription()),
      'MiniportRestart',
    );
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expectFinding(theFinding(s, 'Dma_RegisterOutsideInitialize'), 'Dma_RegisterOutsideInitialize', {
      ddi: 'NdisMRegisterScatterGatherDma',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        DmaDescription: 'Header {Type 0x83, Revision 1, Size 36}, Flags 0x0, MaximumPhysicalMapping 65536',
      },
      message: ['outside MiniportInitializeEx', 'proceeds'],
      allocationSite: false,
      callback: 'MiniportRestart',
    });
  });

  it('breaks: NdisMRegisterDmaChannel outside MiniportInitializeEx', () => {
    const s = dmaSim({ busMaster: false });
    s.at(0, () => NdisMRegisterDmaChannel(s.adapter, 0, true, channelDescription(), 0x10000));
    const v = theFinding(s, 'Dma_RegisterOutsideInitialize');
    expect(v.ddi).toBe('NdisMRegisterDmaChannel');
    expect(v.args.Dma32BitAddresses).toBe('TRUE');
    expect(v.args.MaximumLength).toBe(0x10000);
  });

  it('keeps: both registrations made inside MiniportInitializeEx', () => {
    const s = dmaSim();
    s.registerSg();
    const c = dmaSim({ busMaster: false });
    c.registerChannel();
    expectNoFinding(s, 'Dma_RegisterOutsideInitialize');
    expectNoFinding(c, 'Dma_RegisterOutsideInitialize');
  });
});
