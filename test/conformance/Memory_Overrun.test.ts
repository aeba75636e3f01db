/** Memory_Overrun: accesses stay within the allocated bytes; past the end, a read gives zeros and a write is dropped. */
import { describe, expect, it } from 'vitest';
import { readBytes, readUInt8, writeUInt8, writeUInt32LE } from '../../src/ndis/access.js';
import { NdisAllocateMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  APC_LEVEL,
  expectFinding,
  expectNoFinding,
  hex,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
} from './helpers.js';

const RULE = 'Memory_Overrun';

describe('Memory_Overrun', () => {
  it('breaks: a write at base+length is recorded and dropped', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority),
    );
    s.at(APC_LEVEL, () => writeUInt8(p + 100, 0xee));
    const found = s.findings(RULE);
    expect(found).toHaveLength(1);
    expectFinding(found[0], RULE, {
      ddi: 'writeUInt8',
      irql: APC_LEVEL,
      args: { Address: hex(p + 100), Length: 1, Access: 'write' },
      message: ['Write of 1 bytes', hex(p + 100), 'past the end', '100-byte allocation', hex(p), 'dropped'],
      allocationSite: true,
    });
    expect(found[0].bugCheck).toBeNull();
    // Dropped: reading it back gives zeros (and is itself an overrun).
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(p + 100))).toBe(0);
    expect(s.findings(RULE)).toHaveLength(2);
    expect(s.findings(RULE)[1].args.Access).toBe('read');
    expect(s.engine.violations.map((v) => v.rule)).toEqual([RULE, RULE]);
  });

  it('breaks: a 4-byte write that straddles the end is dropped entirely (in-bounds bytes untouched)', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeUInt32LE(p + 98, 0xffffffff));
    expect(s.findings(RULE)).toHaveLength(1);
    expect(s.findings(RULE)[0].args).toEqual({ Address: hex(p + 98), Length: 4, Access: 'write' });
    expect(s.at(PASSIVE_LEVEL, () => readBytes(p + 96, 4))).toEqual(new Uint8Array(4));
  });

  it('breaks: a write at base+length of a 64-byte block is recorded and does not reach the next block', () => {
    // The end of a block whose length is a power of two is the start of the next slot.
    const s = sim();
    const [p, q] = s.at(PASSIVE_LEVEL, () => [
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    ]);
    s.at(PASSIVE_LEVEL, () => writeUInt8(p + 64, 0xee));
    expect(
      s.at(PASSIVE_LEVEL, () => readUInt8(q)),
      'the neighbouring block is not corrupted',
    ).toBe(0);
    expect(s.findings(RULE)).toHaveLength(1);
    expect(s.findings(RULE)[0].args).toEqual({ Address: hex(p + 64), Length: 1, Access: 'write' });
  });

  it('breaks: a write at base+length of a 16-byte block with no neighbour is an overrun, not a page fault', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 16, TAG, NormalPoolPriority),
    );
    expect(() => s.at(PASSIVE_LEVEL, () => writeUInt8(p + 16, 1))).not.toThrow();
    expect(s.findings(RULE)).toHaveLength(1);
    expectNoFinding(s, 'Memory_InvalidAccess');
  });

  it('keeps: the last byte of the block is writable and readable', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeUInt8(p + 99, 0xee));
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(p + 99))).toBe(0xee);
    expect(s.at(PASSIVE_LEVEL, () => readBytes(p, 100)).length).toBe(100);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
