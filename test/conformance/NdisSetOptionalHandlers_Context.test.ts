/** NdisSetOptionalHandlers_Context: a miniport registers optional handlers inside MiniportSetOptions with its driver handle (SPEC §6.1, D25). */
import { describe, expect, it } from 'vitest';
import {
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import { NdisSetOptionalHandlers } from '../../src/ndis/provider.js';
import { inSetOptions, PROVIDER_ARGS, recordingProvider } from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisSetOptionalHandlers_Context';

describe('NdisSetOptionalHandlers_Context', () => {
  it('breaks: called from MiniportInitializeEx rather than MiniportSetOptions; FAILURE and no provider', () => {
    const s = sim();
    const provider = recordingProvider(s);
    const status = s.at(
      PASSIVE_LEVEL,
      () => NdisSetOptionalHandlers(s.driver, provider.structure),
      'MiniportInitializeEx',
    );
    expect(status).toBe(NDIS_STATUS_FAILURE);
    expect(s.engine.provider.providerOf(s.driver)).toBeUndefined();
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisSetOptionalHandlers',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestDriver', OptionalHandlers: PROVIDER_ARGS },
      message: ['called outside MiniportSetOptions', 'D25', 'NDIS_STATUS_FAILURE'],
      adapter: null,
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
  });

  it('breaks: inside MiniportSetOptions with the adapter handle instead of the NdisDriverHandle', () => {
    const s = sim();
    expect(inSetOptions(s, recordingProvider(s).structure, s.adapter)).toBe(NDIS_STATUS_FAILURE);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisSetOptionalHandlers',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', OptionalHandlers: PROVIDER_ARGS },
      message: ['with a miniport adapter handle, not the NdisDriverHandle'],
      allocationSite: false,
      callback: 'MiniportSetOptions',
    });
  });

  it("breaks: with another driver's handle, and with a handle NDIS never gave out (NOT_SUPPORTED)", () => {
    const s = sim();
    const other = s.engine.createDriver('OtherDriver');
    expect(inSetOptions(s, recordingProvider(s).structure, other)).toBe(NDIS_STATUS_FAILURE);
    expect(inSetOptions(s, recordingProvider(s).structure, { name: 'forged' } as never)).toBe(
      NDIS_STATUS_NOT_SUPPORTED,
    );
    const [another, forged] = s.findings(RULE);
    expect(another.message).toContain("another driver's handle");
    expect(another.driver).toBe('OtherDriver');
    expect(forged.message).toContain('forged, which is not a live miniport driver handle');
    expect(forged.message).toContain('NDIS_STATUS_NOT_SUPPORTED');
    expect(forged.driver).toBe('TestDriver');
    expect(forged.adapter).toBeNull();
  });

  it('keeps: inside MiniportSetOptions with the NdisDriverHandle NDIS passed there', () => {
    const s = sim();
    expect(inSetOptions(s, recordingProvider(s).structure)).toBe(NDIS_STATUS_SUCCESS);
    expect(inSetOptions(s, { Header: { Type: 0x92, Revision: 1, Size: 48 } })).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
