/** NdisAllocateSharedMemory_InvalidParameter: a live handle and documented NDIS_SHARED_MEMORY_PARAMETERS, else INVALID_PARAMETER (SPEC §6.5, §6.6, D17, D20, D24). */
import { describe, expect, it } from 'vitest';
import {
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_SUCCESS,
  NdisSharedMemoryUsageMax,
} from '../../src/ndis/constants.js';
import { NdisAllocateSharedMemory } from '../../src/ndis/provider.js';
import { PAGE, parameterArgs, parameters, registerDma } from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisAllocateSharedMemory_InvalidParameter';
const FAILED = { Status: NDIS_STATUS_INVALID_PARAMETER, AllocationHandle: null };

describe('NdisAllocateSharedMemory_InvalidParameter', () => {
  it('breaks: Usage NdisSharedMemoryUsageMax, which is never a valid argument; nothing is allocated', () => {
    const s = sim();
    registerDma(s);
    const p = parameters(PAGE, 16, { Usage: NdisSharedMemoryUsageMax });
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, p))).toEqual(FAILED);
    expect(p.VirtualAddress).toBe(0);
    expect(s.engine.provider.total.allocations).toBe(0);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisAllocateSharedMemory',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', SharedMemoryParameters: parameterArgs(PAGE, 16, { Usage: 10 }) },
      message: [
        'SharedMemoryParameters.Usage is 10 (0xa)',
        'an NDIS_SHARED_MEMORY_USAGE from Undefined (0) to Other (9)',
        'NDIS_STATUS_INVALID_PARAMETER',
      ],
      allocationSite: false,
    });
    expect(v.bugCheck).toBeNull();
  });

  it('breaks: a malformed header maps to 0x7C / 0x21 (D17), and stops the run under the bug-check policy', () => {
    const s = sim();
    registerDma(s);
    const p = parameters();
    p.Header.Revision = 3;
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, p))).toEqual(FAILED);
    const v = theFinding(s, RULE);
    expect(v.message).toContain('SharedMemoryParameters.Header.Revision is 3');
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x21, 0, 0, 0] });
    const strict = sim({ policy: 'bugcheck' });
    registerDma(strict);
    const thrown = catchBugCheck(() =>
      strict.at(PASSIVE_LEVEL, () =>
        NdisAllocateSharedMemory(strict.adapter, { ...parameters(), Header: null } as never),
      ),
    );
    expect(thrown.info?.parameters[0]).toBe(0x21);
  });

  it('breaks: a handle that is not a live miniport driver or adapter handle', () => {
    const s = sim();
    registerDma(s);
    expect(
      s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory({ name: 'forged' } as never, parameters())),
    ).toEqual(FAILED);
    const v = theFinding(s, RULE);
    expect(v.message).toContain('NdisHandle forged, which is not a live miniport driver or adapter handle');
    expect(v.args.NdisHandle).toBe('forged');
  });

  it('breaks: an SG buffer too small for the list NDIS builds from the HAL (D24)', () => {
    const s = sim();
    registerDma(s);
    const p = parameters(4 * PAGE, 3);
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, p))).toEqual(FAILED);
    expect(theFinding(s, RULE).message).toContain(
      'SGListBufferLength is 88 (0x58); it must be at least 112 bytes',
    );
  });

  it('keeps: documented parameters of both revisions', () => {
    const s = sim();
    registerDma(s);
    const two = parameters(PAGE, 1, { Header: { Type: 0x80, Revision: 2, Size: 68 }, VPortId: 0, Flags: 1 });
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, parameters())).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, two)).Status).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expectNoFinding(s, RULE);
  });
});
