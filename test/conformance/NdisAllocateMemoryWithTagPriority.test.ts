/** NdisAllocateMemoryWithTagPriority (official rule): the allocation supplies a pool tag (SPEC §3.1, §9.1, D33). */
import { describe, expect, it } from 'vitest';
import { readUInt32LE, writeUInt32LE } from '../../src/ndis/access.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  counts,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  theFinding,
} from './helpers.js';

const RULE = 'NdisAllocateMemoryWithTagPriority';

describe('NdisAllocateMemoryWithTagPriority', () => {
  it('breaks: Tag 0 is recorded as a warning; the allocation is still made (D33)', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, 0, NormalPoolPriority),
    );
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', Length: 64, Tag: "'....' (0x0)", Priority: 16 },
      message: ['Tag 0', 'pool tag'],
      allocationSite: false,
    });
    expect(theFinding(s, RULE).severity).toBe('warning');
    expect(theFinding(s, RULE).bugCheck).toBeNull();
    // Outcome: a usable block, charged to tag 0 and to the adapter.
    expect(p).not.toBe(0);
    s.at(PASSIVE_LEVEL, () => writeUInt32LE(p, 0xdeadbeef));
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(p))).toBe(0xdeadbeef);
    expect(counts(s.engine.memory.byTag.get(0))).toMatchObject({ liveCount: 1, liveBytes: 64 });
    expect(s.adapter.pool.liveCount).toBe(1);
    expect(s.engine.violations).toHaveLength(1);
  });

  it('breaks: Tag 0 through the driver handle is charged to the driver (no adapter)', () => {
    const s = sim();
    const p = s.at(DISPATCH_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.driver, 8, 0, 32));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateMemoryWithTagPriority',
      irql: DISPATCH_LEVEL,
      args: { NdisHandle: 'TestDriver', Length: 8, Tag: "'....' (0x0)", Priority: 32 },
      message: ['Tag 0'],
      driver: 'TestDriver',
      adapter: null,
      allocationSite: false,
    });
    expect(p).not.toBe(0);
    expect(s.driver.pool.liveCount).toBe(1);
    expect(s.adapter.pool.liveCount).toBe(0);
  });

  it('breaks: under the bugcheck policy the warning stops the run with the rule name and no code (D39)', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() =>
      s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 64, 0, NormalPoolPriority)),
    );
    expect(e.info).toBeNull();
    expect(e.violation.rule).toBe(RULE);
    expect(e.violation.severity).toBe('warning');
    expect(e.message).toContain(RULE);
    expect(s.engine.memory.total.liveCount).toBe(0);
  });

  it('keeps: a distinctive tag records nothing and allocates', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    expect(p).not.toBe(0);
    expectNoFinding(s, RULE);
    expect(counts(s.engine.memory.byTag.get(TAG))).toMatchObject({ liveCount: 1, liveBytes: 64 });
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
    expect(s.engine.violations).toEqual([]);
    expect(s.engine.memory.total.liveCount).toBe(0);
  });

  it('keeps: any non-zero tag (including 0xFFFFFFFF and the NDIS default maDN) satisfies the rule', () => {
    const s = sim();
    for (const tag of [1, 0x6d61444e, 0xffffffff]) {
      expect(s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 16, tag, 16))).not.toBe(
        0,
      );
    }
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
