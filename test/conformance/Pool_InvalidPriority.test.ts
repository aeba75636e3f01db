/** Pool_InvalidPriority: Priority is an EX_POOL_PRIORITY value (SPEC §3.5, §10.3). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  expectFinding,
  expectNoFinding,
  live,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
  VALID_PRIORITIES,
} from './helpers.js';

const RULE = 'Pool_InvalidPriority';

describe('Pool_InvalidPriority', () => {
  it.each([1, 7, 10, 15, 17, 26, 31, 33, 42, 64, 0xffffffff])(
    'breaks: Priority %i (a ULONG that is not an EX_POOL_PRIORITY value) is recorded; the call is not refused',
    (priority) => {
      const s = sim();
      const p = s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, priority));
      expectFinding(theFinding(s, RULE), RULE, {
        ddi: 'NdisAllocateMemoryWithTagPriority',
        irql: PASSIVE_LEVEL,
        args: { NdisHandle: 'TestAdapter', Length: 64, Tag: TAG_TEXT, Priority: priority },
        message: [`Priority ${priority}`, 'EX_POOL_PRIORITY'],
        allocationSite: false,
      });
      expect(theFinding(s, RULE).bugCheck).toBeNull();
      expect(s.engine.violations).toHaveLength(1);
      // No documented failure for a bad priority: the allocation is made.
      expect(p).not.toBe(0);
      expect(live(s.engine)).toEqual({ count: 1, bytes: 64 });
    },
  );

  it('breaks: a non-integer Priority is recorded here and as Ddi_InvalidArgument; NULL is returned', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, 16.5));
    expect(p).toBe(0);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', Length: 64, Tag: TAG_TEXT, Priority: 16.5 },
      message: ['Priority 16.5'],
      allocationSite: false,
    });
    expect(s.findings('Ddi_InvalidArgument')).toHaveLength(1);
    expect(live(s.engine).count).toBe(0);
  });

  it('breaks: an invalid Priority allocates as LowPoolPriority (docs/decisions.md, "Pool model and priorities")', () => {
    // 1 MiB pool: a Low request may not leave less than a quarter free.
    const capacity = 1 << 20;
    const lowLimit = capacity * 0.75;
    const notLikeLow: number[] = [];
    for (const priority of [1, 7, 15, 17, 26, 31, 33, 42, 64, 0xffffffff]) {
      const fits = sim({ pool: { capacity } });
      expect(
        fits.at(PASSIVE_LEVEL, () =>
          NdisAllocateMemoryWithTagPriority(fits.adapter, lowLimit, TAG, priority),
        ),
      ).not.toBe(0);
      const s = sim({ pool: { capacity } });
      const p = s.at(PASSIVE_LEVEL, () =>
        NdisAllocateMemoryWithTagPriority(s.adapter, lowLimit + 1, TAG, priority),
      );
      expect(s.findings(RULE)).toHaveLength(1);
      if (p !== 0) notLikeLow.push(priority);
    }
    expect(notLikeLow, 'invalid priorities that did not fail under Low pressure').toEqual([]);
  });

  it('keeps: each valid EX_POOL_PRIORITY value (0, 8, 9, 16, 24, 25, 32, 40, 41)', () => {
    const s = sim();
    for (const priority of VALID_PRIORITIES) {
      const p = s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, priority));
      expect(p, `Priority ${priority}`).not.toBe(0);
    }
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(live(s.engine)).toEqual({ count: VALID_PRIORITIES.length, bytes: 64 * VALID_PRIORITIES.length });
  });
});
