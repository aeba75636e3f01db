import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_BAD_VERSION } from '../../src/ndis/constants.js';
import { NdisMRegisterScatterGatherDma } from '../../src/ndis/dma.js';
import { dmaSim, sgDescription } from './dma-helpers.js';
import { catchBugCheck, expectFinding, expectNoFinding, theFinding } from './helpers.js';

const RULE = 'NdisMRegisterScatterGatherDma_Header';

describe('NdisMRegisterScatterGatherDma_Header', () => {
  it('breaks: a Size below NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 returns BAD_VERSION (D17)', () => {
    const s = dmaSim();
    const result = s.init(() =>
      NdisMRegisterScatterGatherDma(
        s.adapter,
        sgDescription({ Header: { Type: 0x83, Revision: 1, Size: 32 } }),
      ),
    );
    expect(result).toEqual({ Status: NDIS_STATUS_BAD_VERSION, NdisMiniportDmaHandle: null });
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisMRegisterScatterGatherDma',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        DmaDescription: 'Header {Type 0x83, Revision 1, Size 32}, Flags 0x0, MaximumPhysicalMapping 65536',
      },
      message: ['DmaDescription.Header.Size is not valid', 'NDIS_STATUS_BAD_VERSION'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
    const driverId = s.engine.lifecycle.serialOf(s.driver);
    expect(v.bugCheck).toEqual({
      code: 0x7c,
      name: 'BUGCODE_NDIS_DRIVER',
      parameters: [0x21, driverId, 0, 0],
    });
  });

  it('breaks: a wrong Type, an unsupported Revision, a missing Header', () => {
    const s = dmaSim();
    s.init(() => {
      NdisMRegisterScatterGatherDma(
        s.adapter,
        sgDescription({ Header: { Type: 0x80, Revision: 1, Size: 36 } }),
      );
      NdisMRegisterScatterGatherDma(
        s.adapter,
        sgDescription({ Header: { Type: 0x83, Revision: 9, Size: 36 } }),
      );
      NdisMRegisterScatterGatherDma(s.adapter, { ...sgDescription(), Header: null as never });
    });
    expect(s.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('Header.Type'),
      expect.stringContaining('Header.Revision'),
      expect.stringContaining('DmaDescription.Header is not valid'),
    ]);
  });

  it('breaks: under the bug-check policy the run stops with 0x7C / 0x21', () => {
    const s = dmaSim({ policy: 'bugcheck' });
    const stop = catchBugCheck(() =>
      s.init(() =>
        NdisMRegisterScatterGatherDma(
          s.adapter,
          sgDescription({ Header: { Type: 0x83, Revision: 2, Size: 36 } }),
        ),
      ),
    );
    expect(stop.info?.parameters).toEqual([0x21, s.engine.lifecycle.serialOf(s.driver), 0, 0]);
  });

  it('keeps: revision 1 with Size 36, revision 2 with Size 48, and a larger sizeof (D17)', () => {
    const s = dmaSim();
    for (const Header of [
      { Type: 0x83, Revision: 1, Size: 36 },
      { Type: 0x83, Revision: 2, Size: 48 },
      { Type: 0x83, Revision: 1, Size: 40 },
    ]) {
      const result = s.init(() => NdisMRegisterScatterGatherDma(s.adapter, sgDescription({ Header })));
      expect(result.Status).toBe(0);
      s.engine.dma.deregisterScatterGatherDma(result.NdisMiniportDmaHandle);
    }
    expectNoFinding(s, RULE);
  });
});
