/** SharedMemoryProvider_InvalidCharacteristics: Flags 0 or SUPPORTS_PF_VPORTS (D22) and both handlers (SPEC §6.2). */
import { describe, expect, it } from 'vitest';
import {
  NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import { inSetOptions, PROVIDER_ARGS, recordingProvider } from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'SharedMemoryProvider_InvalidCharacteristics';

describe('SharedMemoryProvider_InvalidCharacteristics', () => {
  it('breaks: Flags with a bit other than SUPPORTS_PF_VPORTS; FAILURE and no provider', () => {
    const s = sim();
    const structure = recordingProvider(s).structure;
    structure.Flags = 0x3;
    expect(inSetOptions(s, structure)).toBe(NDIS_STATUS_FAILURE);
    expect(s.engine.provider.providerOf(s.driver)).toBeUndefined();
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisSetOptionalHandlers',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestDriver', OptionalHandlers: { ...PROVIDER_ARGS, Flags: '0x3' } },
      message: [
        'NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS.Flags is 3',
        '0 or NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS (0x1)',
        'registers no provider',
      ],
      adapter: null,
      allocationSite: false,
      callback: 'MiniportSetOptions',
    });
    expect(v.bugCheck).toBeNull();
  });

  it('breaks: a missing NetFreeSharedMemory, and a NetAllocateSharedMemory that is not a function', () => {
    const s = sim();
    const noFree = recordingProvider(s).structure;
    noFree.FreeSharedMemoryHandler = null;
    const notAFunction = recordingProvider(s).structure;
    (notAFunction as unknown as { AllocateSharedMemoryHandler: unknown }).AllocateSharedMemoryHandler = 42;
    expect(inSetOptions(s, noFree)).toBe(NDIS_STATUS_FAILURE);
    expect(inSetOptions(s, notAFunction)).toBe(NDIS_STATUS_FAILURE);
    expect(s.findings(RULE).map((v) => v.message)).toEqual([
      expect.stringContaining('FreeSharedMemoryHandler is null; it must be a NetFreeSharedMemory function'),
      expect.stringContaining(
        'AllocateSharedMemoryHandler is 42 (0x2a); it must be a NetAllocateSharedMemory function',
      ),
    ]);
  });

  it('keeps: Flags 0 and Flags SUPPORTS_PF_VPORTS (the header bit the page calls reserved, D22)', () => {
    const s = sim();
    const withVPorts = recordingProvider(s).structure;
    withVPorts.Flags = NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS;
    expect(inSetOptions(s, recordingProvider(s).structure)).toBe(NDIS_STATUS_SUCCESS);
    expect(inSetOptions(s, withVPorts)).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
