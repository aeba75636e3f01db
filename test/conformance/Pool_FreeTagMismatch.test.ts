/** Pool_FreeTagMismatch: a tagged free passes the allocation's tag; recorded, and the memory is freed either way (SPEC §3.3, D32, D33). */
import { describe, expect, it } from 'vitest';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTag,
  NdisFreeMemoryWithTagPriority,
} from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  counts,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  hex,
  isLive,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  TAG2,
  TAG2_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Pool_FreeTagMismatch';

describe('Pool_FreeTagMismatch', () => {
  it('breaks: NdisFreeMemoryWithTagPriority with another tag is recorded; the memory is freed (D33)', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(DISPATCH_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG2));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: DISPATCH_LEVEL,
      args: { NdisHandle: 'TestAdapter', VirtualAddress: hex(p), Tag: TAG2_TEXT },
      message: [TAG2_TEXT, TAG_TEXT, 'The memory is freed'],
      allocationSite: true,
    });
    expect(v.bugCheck).toBeNull();
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
    expect(isLive(s.engine, p)).toBe(false);
    // The allocation's tag is credited, not the one passed.
    expect(counts(s.engine.memory.byTag.get(TAG))).toMatchObject({ liveCount: 0, liveBytes: 0, frees: 1 });
    expect(s.engine.memory.byTag.get(TAG2)).toBeUndefined();
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });

  it('breaks: the deprecated NdisFreeMemoryWithTag checks the tag too (D32); the memory is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.driver, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(p, TAG2));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeMemoryWithTag',
      irql: PASSIVE_LEVEL,
      args: { VirtualAddress: hex(p), Tag: TAG2_TEXT },
      message: [TAG2_TEXT, TAG_TEXT],
      adapter: null,
      allocationSite: true,
    });
    expect(isLive(s.engine, p)).toBe(false);
    expect(s.driver.pool.liveCount).toBe(0);
  });

  it('keeps: the allocation tag on both tagged frees; NdisFreeMemory takes no tag', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => {
      const a = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority);
      const b = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG2, NormalPoolPriority);
      const c = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG2, NormalPoolPriority);
      NdisFreeMemoryWithTagPriority(s.adapter, a, TAG);
      NdisFreeMemoryWithTag(b, TAG2);
      NdisFreeMemory(c, 0, 0);
    });
    expectNoFinding(s, RULE);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });
});
