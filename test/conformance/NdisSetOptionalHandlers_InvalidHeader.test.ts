/** NdisSetOptionalHandlers_InvalidHeader: OptionalHandlers is a structure with a well-formed header of an optional-handlers type (SPEC §6.1, D17; 0x7C / 0x21). */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_FAILURE, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import {
  characteristics,
  inSetOptions,
  PROVIDER_ARGS,
  recordingProvider,
} from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisSetOptionalHandlers_InvalidHeader';

describe('NdisSetOptionalHandlers_InvalidHeader', () => {
  it('breaks: a provider structure whose Header.Size is below the revision-1 size; FAILURE, mapped to 0x7C / 0x21', () => {
    const s = sim();
    const structure = recordingProvider(s).structure;
    structure.Header.Size = 16;
    expect(inSetOptions(s, structure)).toBe(NDIS_STATUS_FAILURE);
    expect(s.engine.provider.providerOf(s.driver)).toBeUndefined();
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisSetOptionalHandlers',
      irql: PASSIVE_LEVEL,
      args: {
        NdisHandle: 'TestDriver',
        OptionalHandlers: { ...PROVIDER_ARGS, Header: { Type: '0xb0', Revision: 1, Size: 16 } },
      },
      message: [
        'OptionalHandlers.Header.Size is 16 (0x10)',
        'at least NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 (32)',
        'NDIS_STATUS_FAILURE',
      ],
      adapter: null,
      allocationSite: false,
      callback: 'MiniportSetOptions',
    });
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x21, 0, 0, 0] });
  });

  it('breaks: a provider of Revision 2, a structure that is not an optional-handlers structure, and no structure at all', () => {
    const s = sim();
    const structure = characteristics(
      () => {},
      () => {},
    );
    structure.Header.Revision = 2;
    expect(inSetOptions(s, structure)).toBe(NDIS_STATUS_FAILURE);
    expect(inSetOptions(s, { Header: { Type: 0x8a, Revision: 1, Size: 136 } })).toBe(NDIS_STATUS_FAILURE);
    expect(inSetOptions(s, null as never)).toBe(NDIS_STATUS_FAILURE);
    expect(s.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining(
        'OptionalHandlers.Header.Revision is 2; it must be NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 (1)',
      ),
      expect.stringContaining(
        'OptionalHandlers.Header.Type is 138 (0x8a); it must be the type of an optional-handlers structure',
      ),
      expect.stringContaining('OptionalHandlers is null; it must be a characteristics structure'),
    ]);
  });

  it('breaks: under the bug-check policy the run stops with 0x7C / 0x21 NDIS_BUGCHECK_INVALID_OBJECT_HEADER', () => {
    const s = sim({ policy: 'bugcheck' });
    const thrown = catchBugCheck(() => inSetOptions(s, { Header: { Type: 0x92, Revision: 1, Size: 2 } }));
    expect(thrown.info?.code).toBe(0x7c);
    expect(thrown.info?.parameters[0]).toBe(0x21);
  });

  it('keeps: a well-formed provider (Size larger than the revision size, D17) and a well-formed unmodelled structure', () => {
    const s = sim();
    const structure = recordingProvider(s).structure;
    structure.Header.Size = 40;
    expect(inSetOptions(s, structure)).toBe(NDIS_STATUS_SUCCESS);
    expect(inSetOptions(s, { Header: { Type: 0x92, Revision: 1, Size: 48 } })).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
