/** Irql_NdisFreeMemoryWithTag: IRQL <= DISPATCH for NDIS 6 memory (SPEC §3.4, §8, D30, D32). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemoryWithTag } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  APC_LEVEL,
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  HIGH_LEVEL,
  hex,
  isLive,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Irql_NdisFreeMemoryWithTag';

describe('Irql_NdisFreeMemoryWithTag', () => {
  it('breaks: NdisFreeMemoryWithTag at HIGH_LEVEL is recorded; the memory is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 24, TAG, NormalPoolPriority),
    );
    s.at(HIGH_LEVEL, () => NdisFreeMemoryWithTag(p, TAG));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemoryWithTag',
      irql: HIGH_LEVEL,
      args: { VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['NdisFreeMemoryWithTag', 'IRQL 15', 'DISPATCH_LEVEL'],
      allocationSite: true,
    });
    expect(v.bugCheck?.code).toBe(0xc4);
    expect(v.bugCheck?.parameters).toEqual([0x12, HIGH_LEVEL, 0, p]);
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
    // The deprecation note comes with it (D32), nothing else.
    expect(s.engine.violations.map((x) => x.rule).sort()).toEqual([RULE, 'NdisFreeMemoryWithTag_Deprecated']);
  });

  it('breaks: under the bugcheck policy it stops with 0xC4 / 0x12 (IRQL, pool type, address); nothing freed', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 24, TAG, NormalPoolPriority),
    );
    const e = catchBugCheck(() => s.at(HIGH_LEVEL, () => NdisFreeMemoryWithTag(p, TAG)));
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.parameters).toEqual([0x12, HIGH_LEVEL, 0, p]);
    expect(e.violation.rule).toBe(RULE);
    expect(isLive(s.engine, p)).toBe(true);
  });

  it('keeps: NdisFreeMemoryWithTag at PASSIVE, APC and DISPATCH', () => {
    for (const irql of [PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL]) {
      const s = sim();
      const p = s.at(irql, () => NdisAllocateMemoryWithTagPriority(s.adapter, 24, TAG, NormalPoolPriority));
      s.at(irql, () => NdisFreeMemoryWithTag(p, TAG));
      expectNoFinding(s, RULE);
      expect(isLive(s.engine, p)).toBe(false);
      expect(live(s.engine).count).toBe(0);
    }
  });
});
