/** NdisFreeMemoryWithTag_Deprecated: a note; NdisFreeMemoryWithTag is accepted on NDIS 6 memory (SPEC §3.4, D32). */
import { describe, expect, it } from 'vitest';
import {
  NdisAllocateMemoryWithTagPriority,
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
  theFinding,
} from './helpers.js';

const RULE = 'NdisFreeMemoryWithTag_Deprecated';

describe('NdisFreeMemoryWithTag_Deprecated', () => {
  it('breaks: NdisFreeMemoryWithTag records a note; the memory is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 40, TAG, NormalPoolPriority),
    );
    s.at(DISPATCH_LEVEL, () => NdisFreeMemoryWithTag(p, TAG));
    const v = theFinding(s, RULE);
    expect(v.rule).toBe(RULE);
    expect(v.severity).toBe('note');
    expect(v.bugCheck).toBeNull();
    expect(v.ddi).toBe('NdisFreeMemoryWithTag');
    expect(v.irql).toBe(DISPATCH_LEVEL);
    expect(v.args).toEqual({ VirtualAddress: hex(p), Tag: TAG_TEXT });
    expect(v.driver).toBe('TestDriver');
    expect(v.adapter).toBe('TestAdapter');
    expect(v.message).toContain('deprecated');
    expect(v.message).toContain('NdisFreeMemoryWithTagPriority');
    expect(s.engine.violations).toHaveLength(1);
    expect(isLive(s.engine, p)).toBe(false);
    expect(counts(s.engine.memory.byTag.get(TAG))).toMatchObject({ liveCount: 0, frees: 1 });
  });

  it('breaks: the note carries the allocation site of the memory it frees', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 40, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(p, TAG));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeMemoryWithTag',
      irql: PASSIVE_LEVEL,
      args: { VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['deprecated'],
      allocationSite: true,
    });
  });

  it('breaks: under the bugcheck policy a note does NOT stop the run; the memory is freed', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 40, TAG, NormalPoolPriority),
    );
    expect(() => s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(p, TAG))).not.toThrow();
    expect(s.findings(RULE)).toHaveLength(1);
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine).count).toBe(0);
  });

  it('keeps: NdisFreeMemoryWithTagPriority records no note', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 40, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(isLive(s.engine, p)).toBe(false);
  });
});
