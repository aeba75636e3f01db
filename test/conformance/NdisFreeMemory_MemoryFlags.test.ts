/** NdisFreeMemory_MemoryFlags: MemoryFlags is 0 for NDIS 6 memory; a non-zero value is recorded and the memory is still freed (SPEC §3.2, D2). */
import { describe, expect, it } from 'vitest';
import { readUInt8 } from '../../src/ndis/access.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemory } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  counts,
  expectFinding,
  expectNoFinding,
  hex,
  isLive,
  live,
  NDIS_MEMORY_CONTIGUOUS,
  NDIS_MEMORY_NONCACHED,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  theFinding,
} from './helpers.js';

const RULE = 'NdisFreeMemory_MemoryFlags';

describe('NdisFreeMemory_MemoryFlags', () => {
  function freeWithFlags(flags: number): void {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 128, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 128, flags));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeMemory',
      irql: PASSIVE_LEVEL,
      args: { VirtualAddress: hex(p), Length: 128, MemoryFlags: flags },
      message: [`MemoryFlags ${flags}`, 'must be freed with 0', 'The memory is freed'],
      allocationSite: true,
    });
    // At PASSIVE every flag value is within its IRQL annotation: this is the only finding.
    expect(s.engine.violations.map((v) => v.rule)).toEqual([RULE]);
    // D2: the free happens.
    expect(isLive(s.engine, p)).toBe(false);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
    expect(counts(s.engine.memory.byTag.get(TAG))).toMatchObject({ liveCount: 0, liveBytes: 0, frees: 1 });
    expect(s.adapter.pool.frees).toBe(1);
    // The freed memory is freed memory: a read is a use after free.
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(p))).toBe(0);
    expect(s.findings('Memory_UseAfterFree')).toHaveLength(1);
  }

  it('breaks: MemoryFlags NDIS_MEMORY_NONCACHED at PASSIVE is recorded AND the memory is freed (D2)', () => {
    freeWithFlags(NDIS_MEMORY_NONCACHED);
  });

  it('breaks: MemoryFlags NDIS_MEMORY_CONTIGUOUS at PASSIVE is recorded AND the memory is freed (D2)', () => {
    freeWithFlags(NDIS_MEMORY_CONTIGUOUS);
  });

  it('breaks: MemoryFlags with an undefined bit (0x10) is recorded AND the memory is freed (D2)', () => {
    freeWithFlags(0x10);
  });

  it('keeps: MemoryFlags 0 (Length ignored, even when it does not match)', () => {
    const s = sim();
    const a = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 128, TAG, NormalPoolPriority),
    );
    const b = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 128, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(a, 128, 0));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(b, 7, 0));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });

  it('keeps: a non-zero flag on an address that is not pool memory is a different rule (nothing to free)', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(0, 0, NDIS_MEMORY_NONCACHED));
    expectNoFinding(s, RULE);
    expect(s.findings('Pool_FreeUnknownAddress')).toHaveLength(1);
  });
});
