/**
 * NdisOidDoubleComplete (official): NdisMOidRequestComplete only for a request MiniportOidRequest
 * pended and has not completed; otherwise nothing is completed (bug check 0x7C / 0x26,
 * NDIS_BUGCHECK_INVALID_OID_COMPLETION, D39).
 */
import { describe, expect, it } from 'vitest';
import { DISPATCH_LEVEL, NDIS_STATUS_PENDING, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMOidRequestComplete } from '../../src/ndis/ports.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, theFinding } from './helpers.js';

const RULE = 'NdisOidDoubleComplete';

describe('NdisOidDoubleComplete', () => {
  it('breaks: a pended request completed twice; the second completion completes nothing', () => {
    const s = sim();
    const completions: unknown[] = [];
    s.engine.oid.onComplete = (_, __, status) => completions.push(status);
    const request = { Oid: 0x00010114 };
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request);
    s.at(DISPATCH_LEVEL, () => NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS));
    s.at(DISPATCH_LEVEL, () => NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisMOidRequestComplete',
      irql: DISPATCH_LEVEL,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        OidRequest: '<object that is not an NDIS handle>',
        Status: '0x0',
      },
      message: ['not pending on TestAdapter', 'nothing is completed'],
      allocationSite: false,
    });
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x26, 0, 0, 0] });
    expect(completions).toEqual([NDIS_STATUS_SUCCESS]);
  });

  it('breaks: under the bug-check policy, completing a request that was never pended stops with 0x7C / 0x26', () => {
    const s = sim({ policy: 'bugcheck' });
    const b = catchBugCheck(() => s.at(0, () => NdisMOidRequestComplete(s.adapter, {}, NDIS_STATUS_SUCCESS)));
    expect(b.info?.code).toBe(0x7c);
    expect(b.info?.parameters[0]).toBe(0x26);
  });

  it('keeps: one completion per pended request', () => {
    const s = sim();
    for (let i = 0; i < 3; i++) {
      const request = {};
      expect(s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request)).toBe(NDIS_STATUS_PENDING);
      s.at(DISPATCH_LEVEL, () => NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS));
    }
    expectNoFinding(s, RULE);
  });
});
