/** Pool_ZeroByteAllocation: a zero-byte request is Driver Verifier 0xC4 / 0x00 (SPEC §3.1, §9.4); it still allocates. */
import { describe, expect, it } from 'vitest';
import { readUInt8 } from '../../src/ndis/access.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  counts,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  isLive,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Pool_ZeroByteAllocation';

describe('Pool_ZeroByteAllocation', () => {
  it('breaks: Length 0 is recorded; a (zero-byte) block is still allocated and can be freed', () => {
    const s = sim();
    const p = s.at(DISPATCH_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 0, TAG, NormalPoolPriority),
    );
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisAllocateMemoryWithTagPriority',
      irql: DISPATCH_LEVEL,
      args: { NdisHandle: 'TestAdapter', Length: 0, Tag: TAG_TEXT, Priority: 16 },
      message: ['Length 0'],
      allocationSite: false,
    });
    expect(v.bugCheck).toEqual({
      code: 0xc4,
      name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
      parameters: [0x00, DISPATCH_LEVEL, 0, 0],
    });
    expect(p).not.toBe(0);
    expect(isLive(s.engine, p)).toBe(true);
    expect(counts(s.engine.memory.byTag.get(TAG))).toMatchObject({
      liveCount: 1,
      liveBytes: 0,
      allocations: 1,
    });
    expect(s.adapter.pool.liveCount).toBe(1);
    // It has no bytes: touching one is an overrun.
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(p))).toBe(0);
    expect(s.findings('Memory_Overrun')).toHaveLength(1);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE, 'Memory_Overrun']);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });

  it('breaks: under the bugcheck policy it stops with 0xC4 / 0x00 (IRQL, pool type, bytes); nothing allocated', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() =>
      s.at(DISPATCH_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 0, TAG, NormalPoolPriority)),
    );
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.name).toBe('DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(e.info?.parameters).toEqual([0x00, DISPATCH_LEVEL, 0, 0]);
    expect(e.violation.rule).toBe(RULE);
    expect(live(s.engine).count).toBe(0);
  });

  it('breaks: each zero-byte request gets its own unique address', () => {
    const s = sim();
    const addresses = s.at(PASSIVE_LEVEL, () =>
      Array.from({ length: 5 }, () =>
        NdisAllocateMemoryWithTagPriority(s.driver, 0, TAG, NormalPoolPriority),
      ),
    );
    expect(addresses).not.toContain(0);
    expect(new Set(addresses).size).toBe(5);
    expect(s.findings(RULE)).toHaveLength(5);
    expect(s.findings(RULE).every((v) => v.adapter === null && v.driver === 'TestDriver')).toBe(true);
    expect(counts(s.driver.pool)).toMatchObject({ liveCount: 5, liveBytes: 0 });
  });

  it('keeps: Length 1 (and larger) records nothing', () => {
    const s = sim();
    for (const length of [1, 2, 4096]) {
      expect(
        s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, length, TAG, 16)),
      ).not.toBe(0);
    }
    expectNoFinding(s, RULE);
    expect(live(s.engine)).toEqual({ count: 3, bytes: 4099 });
  });
});
