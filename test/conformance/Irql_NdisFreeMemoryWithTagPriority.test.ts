/** Irql_NdisFreeMemoryWithTagPriority: IRQL <= DISPATCH for NDIS 6 memory (SPEC §3.3, §8, D30). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemoryWithTagPriority } from '../../src/ndis/memory.js';
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

const RULE = 'Irql_NdisFreeMemoryWithTagPriority';

describe('Irql_NdisFreeMemoryWithTagPriority', () => {
  it('breaks: NdisFreeMemoryWithTagPriority at HIGH_LEVEL is recorded; the memory is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 200, TAG, NormalPoolPriority),
    );
    s.at(HIGH_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: HIGH_LEVEL,
      args: { NdisHandle: 'TestAdapter', VirtualAddress: hex(p), Tag: TAG_TEXT },
      message: ['NdisFreeMemoryWithTagPriority', 'IRQL 15', 'DISPATCH_LEVEL'],
      allocationSite: true,
    });
    expect(v.bugCheck?.code).toBe(0xc4);
    expect(v.bugCheck?.parameters).toEqual([0x12, HIGH_LEVEL, 0, p]);
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
  });

  it('breaks: under the bugcheck policy it stops with 0xC4 / 0x12 (IRQL, pool type, address); nothing freed', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 200, TAG, NormalPoolPriority),
    );
    const e = catchBugCheck(() => s.at(3, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG)));
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.name).toBe('DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(e.info?.parameters).toEqual([0x12, 3, 0, p]);
    expect(e.violation.rule).toBe(RULE);
    expect(isLive(s.engine, p)).toBe(true);
  });

  it('keeps: NdisFreeMemoryWithTagPriority at PASSIVE, APC and DISPATCH', () => {
    for (const irql of [PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL]) {
      const s = sim();
      const p = s.at(irql, () => NdisAllocateMemoryWithTagPriority(s.adapter, 200, TAG, NormalPoolPriority));
      s.at(irql, () => NdisFreeMemoryWithTagPriority(s.adapter, p, TAG));
      expectNoFinding(s, RULE);
      expect(s.engine.violations).toEqual([]);
      expect(isLive(s.engine, p)).toBe(false);
      expect(live(s.engine).count).toBe(0);
    }
  });
});
