/** Pool_DoubleFree: pool memory is freed once; a second free frees nothing (SPEC §3.2, §9.4 0xC4 / 0x13). */
import { describe, expect, it } from 'vitest';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTag,
  NdisFreeMemoryWithTagPriority,
} from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  counts,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  hex,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Pool_DoubleFree';

describe('Pool_DoubleFree', () => {
  it('breaks: NdisFreeMemory twice; the second free is recorded and changes nothing', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    const other = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 64, 0));
    const before = counts(s.engine.memory.byTag.get(TAG));
    s.at(DISPATCH_LEVEL, () => NdisFreeMemory(p, 64, 0));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemory',
      irql: DISPATCH_LEVEL,
      args: { VirtualAddress: hex(p), Length: 64, MemoryFlags: 0 },
      message: ['already freed', 'nothing is freed'],
      allocationSite: true,
    });
    expect(v.bugCheck).toEqual({
      code: 0xc4,
      name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
      parameters: [0x13, 0, p, 0],
    });
    expect(counts(s.engine.memory.byTag.get(TAG))).toEqual(before);
    expect(counts(s.engine.memory.byTag.get(TAG))).toMatchObject({ liveCount: 1, liveBytes: 64, frees: 1 });
    expect(s.adapter.pool.frees).toBe(1);
    expect(s.engine.virtual.get(other)).toBeDefined();
    expect(s.engine.violations).toHaveLength(1);
  });

  it('breaks: NdisFreeMemoryWithTagPriority after NdisFreeMemory, and NdisFreeMemoryWithTag after that', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.driver, 100, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.driver, p, TAG));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(p, TAG));
    const found = s.findings(RULE);
    expect(found).toHaveLength(2);
    expectFinding(found[0], RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestDriver', VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['NdisFreeMemoryWithTagPriority', 'already freed'],
      adapter: null,
      allocationSite: true,
    });
    expectFinding(found[1], RULE, {
      ddi: 'NdisFreeMemoryWithTag',
      irql: PASSIVE_LEVEL,
      args: { VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['NdisFreeMemoryWithTag', 'already freed'],
      adapter: null,
      allocationSite: true,
    });
    // A double free is not a successful free: no deprecation note, no mismatch findings.
    expect(s.engine.violations.map((v) => v.rule)).toEqual([RULE, RULE]);
    expect(counts(s.driver.pool)).toMatchObject({ liveCount: 0, allocations: 1, frees: 1 });
  });

  it('breaks: a double free is still recognised after later allocations (addresses are not reused)', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    const later = s.at(PASSIVE_LEVEL, () =>
      Array.from({ length: 10 }, () =>
        NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
      ),
    );
    expect(later).not.toContain(p);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    expect(s.findings(RULE)).toHaveLength(1);
    expect(live(s.engine).count).toBe(10);
  });

  it('breaks: under the bugcheck policy it stops with 0xC4 / 0x13', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
    const e = catchBugCheck(() =>
      s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG)),
    );
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.name).toBe('DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(e.info?.parameters).toEqual([0x13, 0, p, 0]);
    expect(e.violation.rule).toBe(RULE);
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 0, frees: 1 });
  });

  it('keeps: each block freed once, with any of the three frees', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => {
      const a = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority);
      const b = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority);
      const c = NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority);
      NdisFreeMemory(a, 0, 0);
      NdisFreeMemoryWithTagPriority(s.adapter, b, TAG);
      NdisFreeMemoryWithTag(c, TAG);
    });
    expectNoFinding(s, RULE);
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 0, liveBytes: 0, allocations: 3, frees: 3 });
  });
});
