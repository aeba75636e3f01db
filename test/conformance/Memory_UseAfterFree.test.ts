/** Memory_UseAfterFree: no access after a free; a read returns zeros, a write is dropped (src/engine/access.ts). */
import { describe, expect, it } from 'vitest';
import {
  NdisMoveMemory,
  readBytes,
  readUInt8,
  readUInt32LE,
  writeUInt8,
  writeUInt32LE,
} from '../../src/ndis/access.js';
import { NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemory } from '../../src/ndis/memory.js';
import { NdisAllocateSharedMemory, NdisFreeSharedMemory } from '../../src/ndis/provider.js';
import type { NDIS_SHARED_MEMORY_PARAMETERS } from '../../src/ndis/types.js';
import { parameters, registerDma } from '../engine/provider-fixture.js';
import { sim } from '../harness.js';
import { dmaSim } from './dma-helpers.js';
import {
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  hex,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
} from './helpers.js';

const RULE = 'Memory_UseAfterFree';

describe('Memory_UseAfterFree', () => {
  it('breaks: a read after the free is recorded and returns 0; a write after the free is recorded and dropped', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeUInt32LE(p + 4, 0xcafebabe));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));

    const value = s.at(DISPATCH_LEVEL, () => readUInt32LE(p + 4));
    expect(value).toBe(0);
    s.at(PASSIVE_LEVEL, () => writeUInt8(p + 10, 0x5a));
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(p + 10))).toBe(0);

    const found = s.findings(RULE);
    expect(found).toHaveLength(3);
    expectFinding(found[0], RULE, {
      ddi: 'readUInt32LE',
      irql: DISPATCH_LEVEL,
      args: { Address: hex(p + 4), Length: 4, Access: 'read' },
      message: ['Read of 4 bytes', hex(p + 4), 'freed', 'returns zeros'],
      allocationSite: true,
    });
    expectFinding(found[1], RULE, {
      ddi: 'writeUInt8',
      irql: PASSIVE_LEVEL,
      args: { Address: hex(p + 10), Length: 1, Access: 'write' },
      message: ['Write of 1 bytes', 'freed', 'write is dropped'],
      allocationSite: true,
    });
    expect(found[0].bugCheck).toBeNull();
    // Nothing else was recorded, nothing was re-allocated by the access.
    expect(s.engine.violations.map((v) => v.rule)).toEqual([RULE, RULE, RULE]);
    expect(s.engine.virtual.get(p)).toBeUndefined();
    expect(s.engine.memory.total.liveCount).toBe(0);
  });

  it('breaks: bulk copies out of freed memory give zeros', () => {
    const s = sim();
    const [p, q] = s.at(PASSIVE_LEVEL, () => [
      NdisAllocateMemoryWithTagPriority(s.adapter, 32, TAG, NormalPoolPriority),
      NdisAllocateMemoryWithTagPriority(s.adapter, 32, TAG, NormalPoolPriority),
    ]);
    s.at(PASSIVE_LEVEL, () => {
      writeUInt8(p, 1);
      writeUInt8(q, 7);
      NdisFreeMemory(p, 0, 0);
    });
    expect(s.at(PASSIVE_LEVEL, () => readBytes(p, 8))).toEqual(new Uint8Array(8));
    // NdisMoveMemory from freed memory: recorded; the destination is left untouched.
    s.at(PASSIVE_LEVEL, () => NdisMoveMemory(q, p, 8));
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(q))).toBe(7);
    expect(s.findings(RULE).map((v) => v.ddi)).toEqual(['readBytes', 'NdisMoveMemory']);
  });

  it('breaks: an access to freed NdisMAllocateSharedMemory memory names where the block was allocated', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(300, false);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 300, false, VirtualAddress, PhysicalAddress));
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(VirtualAddress + 8))).toBe(0);
    const v = s.findings(RULE)[0];
    expectFinding(v, RULE, {
      ddi: 'readUInt32LE',
      irql: PASSIVE_LEVEL,
      args: { Address: hex(VirtualAddress + 8), Length: 4, Access: 'read' },
      message: ['freed'],
      allocationSite: true,
    });
    expect(s.engine.violations.map((f) => f.rule)).toEqual([RULE]);
  });

  it('breaks: an access to freed HAL memory (NdisAllocateSharedMemory without a provider, D24) names its allocation site', () => {
    const s = sim();
    registerDma(s);
    const p: NDIS_SHARED_MEMORY_PARAMETERS = parameters(100);
    const { AllocationHandle } = s.at(PASSIVE_LEVEL, () => NdisAllocateSharedMemory(s.adapter, p));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, AllocationHandle));
    s.at(PASSIVE_LEVEL, () => writeUInt8(p.VirtualAddress + 1, 1));
    expectFinding(s.findings(RULE)[0], RULE, {
      ddi: 'writeUInt8',
      irql: PASSIVE_LEVEL,
      args: { Address: hex(p.VirtualAddress + 1), Length: 1, Access: 'write' },
      message: ['freed', 'write is dropped'],
      allocationSite: true,
    });
  });

  it('keeps: reads and writes while the block is live', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeUInt32LE(p + 4, 0xcafebabe));
    expect(s.at(DISPATCH_LEVEL, () => readUInt32LE(p + 4))).toBe(0xcafebabe);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
