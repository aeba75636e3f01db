/**
 * Irql_Miscellaneous_Function for the general-memory DDIs (SPEC §3.1, §3.2, §8, §9.4, D2):
 * NdisAllocateMemoryWithTagPriority at <= DISPATCH; NdisFreeMemory at the IRQL its MemoryFlags
 * annotate (0: <= DISPATCH, NONCACHED: < DISPATCH, CONTIGUOUS: PASSIVE).
 */
import { describe, expect, it } from 'vitest';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTag,
  NdisFreeMemoryWithTagPriority,
} from '../../src/ndis/memory.js';
import { type NDIS_SPIN_LOCK, NdisAllocateSpinLock, NdisFreeSpinLock } from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import {
  APC_LEVEL,
  catchBugCheck,
  DISPATCH_LEVEL,
  DRIVER_VERIFIER_DETECTED_VIOLATION,
  expectFinding,
  expectNoFinding,
  HIGH_LEVEL,
  hex,
  isLive,
  live,
  NDIS_MEMORY_CONTIGUOUS,
  NDIS_MEMORY_NONCACHED,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Irql_Miscellaneous_Function';

describe('Irql_Miscellaneous_Function', () => {
  it('breaks: NdisAllocateMemoryWithTagPriority at HIGH_LEVEL (15) is recorded; the call keeps its outcome', () => {
    const s = sim();
    const p = s.at(HIGH_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisAllocateMemoryWithTagPriority',
      irql: HIGH_LEVEL,
      args: { NdisHandle: 'TestAdapter', Length: 64, Tag: TAG_TEXT, Priority: 16 },
      message: ['IRQL 15', 'DISPATCH_LEVEL'],
      allocationSite: false,
    });
    expect(v.bugCheck).toEqual({
      code: DRIVER_VERIFIER_DETECTED_VIOLATION,
      name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
      parameters: [0x02, HIGH_LEVEL, 0, 64],
    });
    expect(p).not.toBe(0);
    expect(live(s.engine)).toEqual({ count: 1, bytes: 64 });
  });

  it('breaks: allocation above DISPATCH under the bugcheck policy stops with 0xC4 / 0x02 (IRQL, pool type, size)', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() =>
      s.at(HIGH_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority)),
    );
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.name).toBe('DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(e.info?.parameters).toEqual([0x02, 15, 0, 100]);
    expect(e.violation.rule).toBe(RULE);
    expect(e.message).toContain('0xC4');
    // The run stopped before the allocation was made; the context was restored.
    expect(live(s.engine).count).toBe(0);
    expect(s.engine.context.irql).toBe(PASSIVE_LEVEL);
  });

  it('breaks: NdisFreeMemory with MemoryFlags 0 above DISPATCH is recorded; the memory is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(HIGH_LEVEL, () => NdisFreeMemory(p, 64, 0));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemory',
      irql: HIGH_LEVEL,
      args: { VirtualAddress: hex(p), Length: 64, MemoryFlags: 0 },
      message: ['IRQL 15', 'DISPATCH_LEVEL'],
      allocationSite: true,
    });
    expect(v.bugCheck?.parameters).toEqual([0x12, HIGH_LEVEL, 0, p]);
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
    expect(s.adapter.pool.frees).toBe(1);
  });

  it('breaks: NdisFreeMemory above DISPATCH under the bugcheck policy stops with 0xC4 / 0x12 (IRQL, pool type, address)', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    const e = catchBugCheck(() => s.at(HIGH_LEVEL, () => NdisFreeMemory(p, 0, 0)));
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.parameters).toEqual([0x12, 15, 0, p]);
    expect(e.violation.rule).toBe(RULE);
    expect(isLive(s.engine, p)).toBe(true);
  });

  it('breaks: NdisFreeMemory with NDIS_MEMORY_NONCACHED at DISPATCH is recorded (needs < DISPATCH); the memory is freed (D2)', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 32, TAG, NormalPoolPriority),
    );
    s.at(DISPATCH_LEVEL, () => NdisFreeMemory(p, 32, NDIS_MEMORY_NONCACHED));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemory',
      irql: DISPATCH_LEVEL,
      args: { VirtualAddress: hex(p), Length: 32, MemoryFlags: 2 },
      message: ['IRQL 2', 'MemoryFlags 0x2', '< DISPATCH_LEVEL'],
      allocationSite: true,
    });
    // No documented bug-check parameter for the flags-derived IRQL (D39).
    expect(v.bugCheck).toBeNull();
    // Flags are also wrong for NDIS 6 memory (a separate rule), and the free happens.
    expect(s.findings('NdisFreeMemory_MemoryFlags')).toHaveLength(1);
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine).count).toBe(0);
  });

  it('breaks: NONCACHED at DISPATCH under the bugcheck policy stops with the rule name and no code (D39)', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 32, TAG, NormalPoolPriority),
    );
    const e = catchBugCheck(() => s.at(DISPATCH_LEVEL, () => NdisFreeMemory(p, 32, NDIS_MEMORY_NONCACHED)));
    expect(e.info).toBeNull();
    expect(e.violation.rule).toBe(RULE);
    expect(e.message).toContain(RULE);
  });

  it('breaks: NdisFreeMemory with NDIS_MEMORY_CONTIGUOUS at APC is recorded (needs PASSIVE); the memory is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.driver, 48, TAG, NormalPoolPriority),
    );
    s.at(APC_LEVEL, () => NdisFreeMemory(p, 48, NDIS_MEMORY_CONTIGUOUS));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemory',
      irql: APC_LEVEL,
      args: { VirtualAddress: hex(p), Length: 48, MemoryFlags: 1 },
      message: ['IRQL 1', 'MemoryFlags 0x1', 'PASSIVE_LEVEL'],
      // Charged to the owner of the memory: the driver.
      adapter: null,
      allocationSite: true,
    });
    expect(v.bugCheck).toBeNull();
    expect(isLive(s.engine, p)).toBe(false);
    expect(s.driver.pool.liveCount).toBe(0);
  });

  it('keeps: allocate and NdisFreeMemory(flags 0) at DISPATCH', () => {
    const s = sim();
    const p = s.at(DISPATCH_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    expect(p).not.toBe(0);
    expect(live(s.engine)).toEqual({ count: 1, bytes: 64 });
    s.at(DISPATCH_LEVEL, () => NdisFreeMemory(p, 64, 0));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });

  it.each([
    [PASSIVE_LEVEL, 0],
    [APC_LEVEL, 0],
    [DISPATCH_LEVEL, 0],
    [PASSIVE_LEVEL, NDIS_MEMORY_NONCACHED],
    [APC_LEVEL, NDIS_MEMORY_NONCACHED],
    [PASSIVE_LEVEL, NDIS_MEMORY_CONTIGUOUS],
  ])('keeps: NdisFreeMemory at IRQL %i with MemoryFlags %i is within its annotation', (irql, flags) => {
    const s = sim();
    const p = s.at(irql, () => NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority));
    s.at(irql, () => NdisFreeMemory(p, 0, flags));
    expectNoFinding(s, RULE);
    expect(isLive(s.engine, p)).toBe(false);
  });

  it('keeps: NdisFreeSpinLock at HIGH_LEVEL (its page: any IRQL); the lock is freed', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => NdisAllocateSpinLock(lock));
    s.at(HIGH_LEVEL, () => NdisFreeSpinLock(lock));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(s.engine.sync.locks.live.size).toBe(0);
  });

  it('keeps: the tagged frees are not this rule (they have their own, D30)', () => {
    const s = sim();
    const a = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    const b = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(HIGH_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, a, TAG));
    s.at(HIGH_LEVEL, () => NdisFreeMemoryWithTag(b, TAG));
    expectNoFinding(s, RULE);
    expect(s.findings('Irql_NdisFreeMemoryWithTagPriority')).toHaveLength(1);
    expect(s.findings('Irql_NdisFreeMemoryWithTag')).toHaveLength(1);
  });
});
