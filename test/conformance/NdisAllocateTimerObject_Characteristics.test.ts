/** NdisAllocateTimerObject_Characteristics: NDIS_TIMER_CHARACTERISTICS is well formed (else BAD_CHARACTERISTICS). */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_BAD_CHARACTERISTICS, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { type NDIS_TIMER_CHARACTERISTICS, NdisAllocateTimerObject } from '../../src/ndis/sync.js';
import { characteristics, TIMER_TAG_TEXT } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisAllocateTimerObject_Characteristics';

function onTimer(): void {}

function withHeader(header: Record<string, unknown>): NDIS_TIMER_CHARACTERISTICS {
  const tc = characteristics(onTimer);
  return { ...tc, Header: { ...tc.Header, ...header } } as NDIS_TIMER_CHARACTERISTICS;
}

const MALFORMED: [string, unknown, string, boolean][] = [
  [
    'a wrong Header.Type (0x8F)',
    withHeader({ Type: 0x8f }),
    'Header.Type is not NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS',
    true,
  ],
  [
    'Revision 2',
    withHeader({ Revision: 2 }),
    'Header.Revision is not NDIS_TIMER_CHARACTERISTICS_REVISION_1',
    true,
  ],
  ['Size 16', withHeader({ Size: 16 }), 'Header.Size is below', true],
  [
    'no Header',
    { ...characteristics(onTimer), Header: undefined },
    'Header is not an NDIS_OBJECT_HEADER',
    true,
  ],
  [
    'no TimerFunction',
    { ...characteristics(onTimer), TimerFunction: undefined },
    'TimerFunction is not a function',
    false,
  ],
  [
    'a tag that is not a ULONG',
    { ...characteristics(onTimer), AllocationTag: -1 },
    'AllocationTag is not a ULONG',
    false,
  ],
  [
    'a number instead of the structure',
    42,
    'TimerCharacteristics is not an NDIS_TIMER_CHARACTERISTICS structure',
    false,
  ],
];

describe('NdisAllocateTimerObject_Characteristics', () => {
  it.each(MALFORMED)('breaks: %s gives NDIS_STATUS_BAD_CHARACTERISTICS', (_name, tc, problem, header) => {
    const s = sim();
    const result = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateTimerObject(s.adapter, tc as NDIS_TIMER_CHARACTERISTICS),
    );
    expect(result).toEqual({ Status: NDIS_STATUS_BAD_CHARACTERISTICS, TimerObject: null });
    const v = theFinding(s, RULE);
    expect(v.message).toBe(
      `NdisAllocateTimerObject: ${v.message.slice(25, v.message.indexOf(';'))}; it returns NDIS_STATUS_BAD_CHARACTERISTICS.`,
    );
    expect(v.message).toContain(problem);
    expect(v.bugCheck?.parameters[0] ?? null).toBe(header ? 0x21 : null);
    expect(s.engine.allocationCalls).toBe(0);
    expect(s.engine.sync.timers.live.size).toBe(0);
  });

  it('breaks: a wrong header reports every field and maps to 0x7C / 0x21 under the bug-check policy', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(s.adapter, withHeader({ Type: 0x8f })));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateTimerObject',
      irql: PASSIVE_LEVEL,
      args: {
        NdisHandle: 'TestAdapter',
        TimerCharacteristics: `{ Header: { Type: 0x8f, Revision: 0x1, Size: 24 }, AllocationTag: ${TIMER_TAG_TEXT}, TimerFunction: function onTimer, FunctionContext: NULL }`,
      },
      message: ['Header.Type is not NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS (0x97)'],
      allocationSite: false,
    });
    const b = sim({ policy: 'bugcheck' });
    const stop = catchBugCheck(() =>
      b.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(b.adapter, withHeader({ Size: 4 }))),
    );
    expect(stop.info).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x21, 0, 0, 0] });
  });

  it('breaks: AllocationTag 0 ("you must provide this tag") is recorded; the timer is still allocated', () => {
    const s = sim();
    const result = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateTimerObject(s.adapter, { ...characteristics(), AllocationTag: 0 }),
    );
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(result.TimerObject).not.toBeNull();
    expect(theFinding(s, RULE).message).toBe(
      'NdisAllocateTimerObject: AllocationTag is 0; the timer is still allocated.',
    );
  });

  it('keeps: the documented header, and a Size larger than revision 1 (sizeof of a newer header, D17)', () => {
    const s = sim();
    for (const tc of [characteristics(), withHeader({ Size: 32 })]) {
      expect(s.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(s.driver, tc)).Status).toBe(
        NDIS_STATUS_SUCCESS,
      );
    }
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
