/** Pool_FreeHandleMismatch: NdisFreeMemoryWithTagPriority passes the allocating handle; recorded, and the memory is freed (SPEC §3.3, D33). */
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
  expectFinding,
  expectNoFinding,
  hex,
  isLive,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Pool_FreeHandleMismatch';

describe('Pool_FreeHandleMismatch', () => {
  it('breaks: allocated with the adapter handle, freed with the driver handle; recorded, freed, charged to the adapter', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 96, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.driver, p, TAG));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestDriver', VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['NdisHandle TestDriver', 'allocated with TestAdapter', 'The memory is freed'],
      allocationSite: true,
    });
    expect(v.bugCheck).toBeNull();
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
    expect(isLive(s.engine, p)).toBe(false);
    // The owner of the memory is credited, not the handle passed.
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 0, liveBytes: 0, allocations: 1, frees: 1 });
    expect(counts(s.driver.pool)).toMatchObject({ liveCount: 0, allocations: 0, frees: 0 });
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });

  it('breaks: allocated with the driver handle, freed with the adapter handle; charged to the driver', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.driver, 96, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['NdisHandle TestAdapter', 'allocated with TestDriver'],
      adapter: null,
      allocationSite: true,
    });
    expect(counts(s.driver.pool)).toMatchObject({ liveCount: 0, frees: 1 });
    expect(s.adapter.pool.frees).toBe(0);
  });

  it('keeps: the allocating handle; the frees without a handle parameter are never this rule', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => {
      const a = NdisAllocateMemoryWithTagPriority(s.adapter, 96, TAG, NormalPoolPriority);
      const b = NdisAllocateMemoryWithTagPriority(s.driver, 96, TAG, NormalPoolPriority);
      const c = NdisAllocateMemoryWithTagPriority(s.driver, 96, TAG, NormalPoolPriority);
      const d = NdisAllocateMemoryWithTagPriority(s.adapter, 96, TAG, NormalPoolPriority);
      NdisFreeMemoryWithTagPriority(s.adapter, a, TAG);
      NdisFreeMemoryWithTagPriority(s.driver, b, TAG);
      NdisFreeMemory(c, 0, 0);
      NdisFreeMemoryWithTag(d, TAG);
    });
    expectNoFinding(s, RULE);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
    expect(counts(s.adapter.pool)).toMatchObject({ allocations: 2, frees: 2 });
    expect(counts(s.driver.pool)).toMatchObject({ allocations: 2, frees: 2 });
  });
});
