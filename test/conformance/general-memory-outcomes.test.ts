/**
 * Every out-value of the general-memory DDIs (SPEC §3, §3.5, §9.2): what NdisAllocateMemoryWithTagPriority
 * returns and when it returns NULL (fault hook, pool pressure by priority), what the returned memory
 * holds, the accounting per tag, per owner and in total, and the run options that shape findings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AllocationRequest, failOrdinals } from '../../src/engine/faults.js';
import { formatAddress } from '../../src/machine/address.js';
import { readBytes, readUInt8, readUInt32LE, writeBytes, writeUInt32LE } from '../../src/ndis/access.js';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTag,
  NdisFreeMemoryWithTagPriority,
} from '../../src/ndis/memory.js';
import { CATALOGUE } from '../../src/verifier/catalogue.js';
import { type Sim, sim } from '../harness.js';
import {
  catchBugCheck,
  counts,
  DISPATCH_LEVEL,
  HighPoolPriority,
  LowPoolPriority,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG2,
  VALID_PRIORITIES,
} from './helpers.js';

const MiB = 1 << 20;

function allocate(
  s: Sim,
  owner: 'adapter' | 'driver',
  length: number,
  tag: number,
  priority: number,
): number {
  return s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s[owner], length, tag, priority));
}

describe('general memory: the conformance files cover the general-memory rules', () => {
  const ids = [
    'NdisAllocateMemoryWithTagPriority',
    'Irql_Miscellaneous_Function',
    'Irql_NdisFreeMemoryWithTagPriority',
    'Irql_NdisFreeMemoryWithTag',
    'NdisFreeMemory_MemoryFlags',
    'NdisFreeMemoryWithTag_Deprecated',
    'Pool_ZeroByteAllocation',
    'Pool_InvalidPriority',
    'Pool_DoubleFree',
    'Pool_FreeUnknownAddress',
    'Pool_FreeInteriorAddress',
    'Pool_FreeTagMismatch',
    'Pool_FreeHandleMismatch',
    'Memory_UseAfterFree',
    'Memory_Overrun',
    'Memory_InvalidAccess',
    'Ndis_InvalidHandle',
    'Ddi_InvalidArgument',
  ];
  it.each(ids)(
    '%s is in the catalogue and has test/conformance/<id>.test.ts with breaks: and keeps:',
    (id) => {
      expect(CATALOGUE.map((r) => r.id)).toContain(id);
      const file = new URL(`./${id}.test.ts`, import.meta.url);
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`describe('${id}'`);
      expect(text).toMatch(/it\(\s*['"`]breaks:/);
      expect(text).toMatch(/it\(\s*['"`]keeps:/);
    },
  );
});

describe('NdisAllocateMemoryWithTagPriority: the returned address', () => {
  it.each([0, 1, 15, 16, 17, 64, 100, 4095, 4096, 65536, MiB])(
    'Length %i gives a non-NULL, 16-byte aligned kernel address',
    (length) => {
      const s = sim();
      const p = allocate(s, 'adapter', length, TAG, NormalPoolPriority);
      expect(p).not.toBe(0);
      expect(Number.isSafeInteger(p)).toBe(true);
      // Kernel addresses are negative in the signed representation (src/machine/address.ts).
      expect(p).toBeLessThan(0);
      expect(formatAddress(p)).toMatch(/^0xffff[0-9a-f]{12}$/);
      expect(((p % 16) + 16) % 16).toBe(0);
    },
  );

  it('distinct allocations never overlap, across owners, tags and priorities', () => {
    const s = sim();
    const blocks: [number, number][] = [];
    for (let i = 0; i < 200; i++) {
      const length = (i * 37) % 3000;
      const p = allocate(
        s,
        i % 2 ? 'driver' : 'adapter',
        length,
        i % 3 ? TAG : TAG2,
        VALID_PRIORITIES[i % VALID_PRIORITIES.length],
      );
      blocks.push([p, Math.max(length, 1)]);
    }
    blocks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < blocks.length; i++)
      expect(blocks[i][0]).toBeGreaterThanOrEqual(blocks[i - 1][0] + blocks[i - 1][1]);
  });

  it('the memory reads as zeros and holds the bytes written', () => {
    const s = sim();
    const p = allocate(s, 'adapter', 256, TAG, NormalPoolPriority);
    s.at(DISPATCH_LEVEL, () => {
      expect(readBytes(p, 256)).toEqual(new Uint8Array(256));
      expect(readUInt32LE(p + 252)).toBe(0);
      writeUInt32LE(p + 4, 0x01020304);
      writeBytes(p + 100, new Uint8Array([9, 8, 7]));
      expect(readUInt32LE(p + 4)).toBe(0x01020304);
      expect(readUInt8(p + 4)).toBe(4);
      expect([...readBytes(p + 99, 5)]).toEqual([0, 9, 8, 7, 0]);
    });
    // A second block is independent and zeroed.
    const q = allocate(s, 'adapter', 256, TAG, NormalPoolPriority);
    expect(s.at(PASSIVE_LEVEL, () => readBytes(q, 256))).toEqual(new Uint8Array(256));
    expect(s.engine.violations).toEqual([]);
  });
});

describe('NdisAllocateMemoryWithTagPriority: NULL from the fault hook (SPEC §9.2)', () => {
  it('failOrdinals([2]) fails exactly the second allocation with NULL; nothing is charged and nothing recorded', () => {
    const s = sim({ faults: failOrdinals([2]) });
    const a = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    const b = allocate(s, 'adapter', 64, TAG2, NormalPoolPriority);
    const c = allocate(s, 'driver', 64, TAG, NormalPoolPriority);
    expect(a).not.toBe(0);
    expect(b).toBe(0);
    expect(c).not.toBe(0);
    expect(s.engine.allocationCalls).toBe(3);
    expect(s.engine.memory.byTag.has(TAG2)).toBe(false);
    expect(counts(s.engine.memory.total)).toMatchObject({ liveCount: 2, liveBytes: 128, allocations: 2 });
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 1, allocations: 1 });
    expect(s.engine.violations).toEqual([]);
  });

  it('the hook is asked once per call with ordinals 1, 2, 3 and sees ddi, length, tag, priority and owner', () => {
    const seen: AllocationRequest[] = [];
    const s = sim({
      faults: (request) => {
        seen.push({ ...request });
        return request.ordinal === 3;
      },
    });
    const a = allocate(s, 'adapter', 10, TAG, LowPoolPriority);
    const b = allocate(s, 'driver', 20, TAG2, HighPoolPriority);
    const c = allocate(s, 'adapter', 30, TAG, 25);
    const d = allocate(s, 'driver', 0, TAG, NormalPoolPriority);
    expect([a !== 0, b !== 0, c !== 0, d !== 0]).toEqual([true, true, false, true]);
    expect(seen).toEqual([
      {
        ddi: 'NdisAllocateMemoryWithTagPriority',
        ordinal: 1,
        length: 10,
        tag: TAG,
        priority: 0,
        owner: s.adapter,
      },
      {
        ddi: 'NdisAllocateMemoryWithTagPriority',
        ordinal: 2,
        length: 20,
        tag: TAG2,
        priority: 32,
        owner: s.driver,
      },
      {
        ddi: 'NdisAllocateMemoryWithTagPriority',
        ordinal: 3,
        length: 30,
        tag: TAG,
        priority: 25,
        owner: s.adapter,
      },
      {
        ddi: 'NdisAllocateMemoryWithTagPriority',
        ordinal: 4,
        length: 0,
        tag: TAG,
        priority: 16,
        owner: s.driver,
      },
    ]);
    expect(s.engine.memory.total.liveCount).toBe(3);
  });

  it('the hook can be replaced between calls (engine.faults)', () => {
    const s = sim();
    expect(allocate(s, 'adapter', 8, TAG, NormalPoolPriority)).not.toBe(0);
    s.engine.faults = () => true;
    expect(allocate(s, 'adapter', 8, TAG, HighPoolPriority)).toBe(0);
    s.engine.faults = null;
    expect(allocate(s, 'adapter', 8, TAG, NormalPoolPriority)).not.toBe(0);
    expect(s.engine.memory.total.liveCount).toBe(2);
    expect(s.engine.violations).toEqual([]);
  });
});

describe('NdisAllocateMemoryWithTagPriority: NULL under pool pressure (SPEC §3.1, §3.5)', () => {
  // With a 1 MiB pool: Low must leave >= 1/4 free, Normal >= 1/32, High fails only when exhausted.
  const limits: Record<'Low' | 'Normal' | 'High', number> = {
    Low: MiB - MiB / 4,
    Normal: MiB - MiB / 32,
    High: MiB,
  };
  const cases = VALID_PRIORITIES.map((priority) => {
    const band = priority < 16 ? 'Low' : priority < 32 ? 'Normal' : 'High';
    return [priority, band, limits[band as keyof typeof limits]] as const;
  });

  it.each(cases)(
    'Priority %i (%s): the largest request that succeeds from empty is %i bytes',
    (priority, _band, limit) => {
      const fits = sim({ pool: { capacity: MiB } });
      expect(allocate(fits, 'adapter', limit, TAG, priority)).not.toBe(0);
      const fails = sim({ pool: { capacity: MiB } });
      expect(allocate(fails, 'adapter', limit + 1, TAG, priority)).toBe(0);
      expect(fails.engine.memory.total.allocations).toBe(0);
      expect(fails.engine.memory.byTag.size).toBe(0);
      expect([...fits.engine.violations, ...fails.engine.violations]).toEqual([]);
    },
  );

  it('as the pool fills, LowPoolPriority fails first, NormalPoolPriority later, HighPoolPriority only when exhausted', () => {
    const s = sim({ pool: { capacity: MiB } });
    const at = (length: number, priority: number) => allocate(s, 'adapter', length, TAG, priority);
    expect(at(700_000, HighPoolPriority)).not.toBe(0); // 348,576 free
    expect(at(100_000, LowPoolPriority)).toBe(0); // would leave 248,576 < 262,144
    expect(at(100_000, NormalPoolPriority)).not.toBe(0); // leaves 248,576 >= 32,768
    expect(at(1, LowPoolPriority)).toBe(0); // Low is now out
    expect(at(200_000, NormalPoolPriority)).not.toBe(0); // leaves 48,576
    expect(at(20_000, NormalPoolPriority)).toBe(0); // would leave 28,576 < 32,768
    expect(at(20_000, HighPoolPriority)).not.toBe(0); // leaves 28,576
    expect(at(28_576, HighPoolPriority)).not.toBe(0); // leaves exactly 0
    expect(at(1, HighPoolPriority)).toBe(0); // exhausted
    expect(at(0, HighPoolPriority)).not.toBe(0); // a zero-byte request still fits (recorded by its rule)
    expect(s.engine.memory.total.liveBytes).toBe(MiB);
    // Freeing makes room again.
    const some = [...s.engine.memory.live()].find((b) => b.length === 100_000);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(some?.base ?? 0, 0, 0));
    expect(at(1, HighPoolPriority)).not.toBe(0);
    expect(at(1, NormalPoolPriority)).not.toBe(0);
    expect(at(1, LowPoolPriority)).toBe(0);
    // Pressure failures are outcomes, not violations.
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Pool_ZeroByteAllocation']);
  });
});

describe('accounting: per tag, per owner and in total', () => {
  it('follows a sequence of allocations and frees (live, high-water marks, counts)', () => {
    const s = sim();
    const a1 = allocate(s, 'adapter', 100, TAG, NormalPoolPriority);
    const a2 = allocate(s, 'adapter', 200, TAG, NormalPoolPriority);
    const d1 = allocate(s, 'driver', 50, TAG2, HighPoolPriority);
    allocate(s, 'adapter', 10, TAG2, LowPoolPriority);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(a1, 0, 0));
    s.at(DISPATCH_LEVEL, () => NdisFreeMemoryWithTagPriority(s.driver, d1, TAG2));
    allocate(s, 'driver', 1000, TAG, NormalPoolPriority);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(a2, TAG));

    const memory = s.engine.memory;
    expect(counts(memory.byTag.get(TAG))).toEqual({
      liveCount: 1,
      liveBytes: 1000,
      highCount: 2,
      highBytes: 1200,
      allocations: 3,
      frees: 2,
    });
    expect(counts(memory.byTag.get(TAG2))).toEqual({
      liveCount: 1,
      liveBytes: 10,
      highCount: 2,
      highBytes: 60,
      allocations: 2,
      frees: 1,
    });
    expect(counts(s.adapter.pool)).toEqual({
      liveCount: 1,
      liveBytes: 10,
      highCount: 3,
      highBytes: 310,
      allocations: 3,
      frees: 2,
    });
    expect(counts(s.driver.pool)).toEqual({
      liveCount: 1,
      liveBytes: 1000,
      highCount: 1,
      highBytes: 1000,
      allocations: 2,
      frees: 1,
    });
    expect(counts(memory.total)).toEqual({
      liveCount: 2,
      liveBytes: 1010,
      highCount: 4,
      highBytes: 1210,
      allocations: 5,
      frees: 3,
    });
    expect(memory.byTag.size).toBe(2);
    // The live blocks, by owner.
    expect([...memory.live(s.adapter)].map((b) => b.length)).toEqual([10]);
    expect([...memory.live(s.driver)].map((b) => b.length)).toEqual([1000]);
    // Only the deprecation note was recorded.
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['NdisFreeMemoryWithTag_Deprecated']);
  });

  it('failed, refused and misdirected calls change no accounting', () => {
    const s = sim({ faults: failOrdinals([1]) });
    allocate(s, 'adapter', 64, TAG, NormalPoolPriority); // fault-injected
    s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority({} as never, 64, TAG, NormalPoolPriority));
    s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, -1, TAG, NormalPoolPriority));
    const p = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    s.at(PASSIVE_LEVEL, () => {
      NdisFreeMemory(p + 8, 0, 0);
      NdisFreeMemory(0, 0, 0);
    });
    expect(counts(s.engine.memory.total)).toEqual({
      liveCount: 1,
      liveBytes: 64,
      highCount: 1,
      highBytes: 64,
      allocations: 1,
      frees: 0,
    });
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    expect(counts(s.engine.memory.total)).toMatchObject({ liveCount: 0, liveBytes: 0, frees: 1 });
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 0, allocations: 1, frees: 1 });
  });
});

describe('run options', () => {
  function doubleFree(s: Sim): void {
    const p = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
  }

  it('captureAllocationSites: false gives findings with an empty allocationSite (the call site is still captured)', () => {
    const s = sim({ captureAllocationSites: false });
    doubleFree(s);
    const [v] = s.findings('Pool_DoubleFree');
    expect(v.allocationSite).toEqual([]);
    expect(v.site.length).toBeGreaterThan(0);
    const on = sim();
    doubleFree(on);
    expect(on.findings('Pool_DoubleFree')[0].allocationSite.length).toBeGreaterThan(0);
  });

  it('captureSites: false gives findings with an empty call site', () => {
    const s = sim({ captureSites: false });
    doubleFree(s);
    expect(s.findings('Pool_DoubleFree')[0].site).toEqual([]);
  });

  it("rulesOff: ['Pool_DoubleFree'] silences that rule (the outcome is the same: nothing freed twice)", () => {
    const s = sim({ rulesOff: ['Pool_DoubleFree'] });
    expect(s.engine.verifier.active('Pool_DoubleFree')).toBe(false);
    expect(s.engine.verifier.active('Pool_FreeUnknownAddress')).toBe(true);
    doubleFree(s);
    expect(s.engine.violations).toEqual([]);
    expect(counts(s.engine.memory.total)).toMatchObject({ liveCount: 0, allocations: 1, frees: 1 });
    // Other rules still report.
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(0, 0, 0));
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Pool_FreeUnknownAddress']);
  });

  it("policy 'bugcheck' runs past notes and stops at the first error-severity finding", () => {
    const s = sim({ policy: 'bugcheck' });
    const a = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    const b = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(a, TAG)); // note: no stop
    const e = catchBugCheck(() =>
      s.at(DISPATCH_LEVEL, () => {
        NdisFreeMemory(a, 0, 0); // double free: stops here
        NdisFreeMemory(b, 0, 0); // never reached
      }),
    );
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.parameters).toEqual([0x13, 0, a, 0]);
    expect(e.violation.rule).toBe('Pool_DoubleFree');
    expect(e.violation.severity).toBe('error');
    expect(s.engine.violations.map((v) => [v.rule, v.severity])).toEqual([
      ['NdisFreeMemoryWithTag_Deprecated', 'note'],
      ['Pool_DoubleFree', 'error'],
    ]);
    expect(e.violation).toBe(s.engine.violations[1]);
    expect(s.engine.virtual.get(b)).toBeDefined();
    expect(s.engine.context.irql).toBe(PASSIVE_LEVEL);
  });

  it("policy 'record' (the default) records every finding and continues", () => {
    const s = sim();
    const a = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    const b = allocate(s, 'adapter', 64, TAG, NormalPoolPriority);
    s.at(DISPATCH_LEVEL, () => {
      NdisFreeMemory(a, 0, 0);
      NdisFreeMemory(a, 0, 0);
      NdisFreeMemory(b, 0, 0);
    });
    expect(s.engine.verifier.policy).toBe('record');
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Pool_DoubleFree']);
    expect(s.engine.memory.total.liveCount).toBe(0);
    expect(s.engine.violations.map((v) => v.sequence)).toEqual([0]);
  });
});
