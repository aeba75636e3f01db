import { describe, expect, it } from 'vitest';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemory } from '../../src/ndis/memory.js';
import { BugCheck } from '../../src/verifier/violation.js';
import { sim } from '../harness.js';

const TAG = 0x6b61654c; // 'Leak'

describe('Leak_PoolMemory', () => {
  it('breaks: a block still allocated when MiniportHaltEx returns is reported once, charged to its adapter', () => {
    const s = sim();
    const kept = s.at(0, () => NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, 16));
    const freed = s.at(0, () => NdisAllocateMemoryWithTagPriority(s.adapter, 50, TAG, 16));
    NdisFreeMemory(freed, 0, 0);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    const found = s.findings('Leak_PoolMemory');
    expect(found).toHaveLength(1);
    expect(found[0].adapter).toBe('TestAdapter');
    expect(found[0].driver).toBe('TestDriver');
    expect(found[0].message).toContain('100 bytes');
    expect(found[0].message).toContain('MiniportHaltEx returned');
    expect(found[0].args.Tag).toContain("'Leak'");
    expect(found[0].allocationSite.join('\n')).toContain('Leak_PoolMemory.test.ts');
    expect(kept).not.toBe(0);
  });

  it('breaks: at a failed initialize and at unload (driver-charged and adapter-charged blocks)', () => {
    const s = sim();
    NdisAllocateMemoryWithTagPriority(s.adapter, 10, TAG, 16);
    NdisAllocateMemoryWithTagPriority(s.driver, 20, TAG, 16);
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    expect(s.findings('Leak_PoolMemory').map((v) => v.message)).toEqual([
      expect.stringContaining('MiniportInitializeEx returned a failure'),
    ]);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    // The adapter's block was reported at the failed initialize; unload reports only the driver's.
    const atUnload = s.findings('Leak_PoolMemory').slice(1);
    expect(atUnload).toHaveLength(1);
    expect(atUnload[0].message).toContain('unloaded');
    expect(atUnload[0].adapter).toBeNull();
  });

  it('breaks: under the bug-check policy, unload with pool allocated stops with 0xC4 / 0x60', () => {
    const s = sim({ policy: 'bugcheck' });
    NdisAllocateMemoryWithTagPriority(s.driver, 64, TAG, 16);
    try {
      s.engine.lifecycleEdge('driverUnload', s.driver, null);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BugCheck);
      expect((error as BugCheck).info?.code).toBe(0xc4);
      expect((error as BugCheck).info?.parameters).toEqual([0x60, 0, 64, 1]);
    }
  });

  it('keeps: everything freed before the edge gives no finding', () => {
    const s = sim();
    const p = NdisAllocateMemoryWithTagPriority(s.adapter, 100, TAG, 16);
    NdisFreeMemory(p, 0, 0);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expect(s.findings('Leak_PoolMemory')).toHaveLength(0);
  });
});
