/** Pool_FreeInteriorAddress: frees pass the base, never an address inside the block; nothing is freed (SPEC §3.2, §9.4 0xC4 / 0x16). */
import { describe, expect, it } from 'vitest';
import { readUInt32LE, writeUInt32LE } from '../../src/ndis/access.js';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
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
  isLive,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Pool_FreeInteriorAddress';

describe('Pool_FreeInteriorAddress', () => {
  it('breaks: NdisFreeMemory(base + 8) is recorded; the block stays live and can be freed properly afterwards', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeUInt32LE(p + 8, 0x11223344));
    s.at(DISPATCH_LEVEL, () => NdisFreeMemory(p + 8, 100, 0));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemory',
      irql: DISPATCH_LEVEL,
      args: { VirtualAddress: hex(p + 8), Length: 100, MemoryFlags: 0 },
      message: ['8 bytes inside', '100-byte block', hex(p), 'nothing is freed'],
      allocationSite: true,
    });
    expect(v.bugCheck).toEqual({
      code: 0xc4,
      name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
      parameters: [0x16, 0, p + 8, 0],
    });
    // Nothing freed: the block is live, its bytes intact, its accounting unchanged.
    expect(isLive(s.engine, p)).toBe(true);
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(p + 8))).toBe(0x11223344);
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 1, liveBytes: 100, frees: 0 });
    // The proper free afterwards works and records nothing more.
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 100, 0));
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });

  it('breaks: NdisFreeMemoryWithTagPriority of the last byte of the block', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.driver, 100, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.driver, p + 99, TAG));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestDriver', VirtualAddress: hex(p + 99), Tag: TAG_TEXT },
      message: ['99 bytes inside'],
      adapter: null,
      allocationSite: true,
    });
    // Not a tag or handle mismatch, not a successful free.
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
    expect(isLive(s.engine, p)).toBe(true);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.driver, p, TAG));
    expect(s.engine.violations).toHaveLength(1);
    expect(live(s.engine).count).toBe(0);
  });

  it('breaks: under the bugcheck policy it stops with 0xC4 / 0x16 (reserved, address, 0)', () => {
    const s = sim({ policy: 'bugcheck' });
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority),
    );
    const e = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p + 16, 0, 0)));
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.name).toBe('DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(e.info?.parameters).toEqual([0x16, 0, p + 16, 0]);
    expect(e.violation.rule).toBe(RULE);
    expect(isLive(s.engine, p)).toBe(true);
  });

  it('keeps: freeing the base address', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 100, 0));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(isLive(s.engine, p)).toBe(false);
  });
});
