import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOUR_GIB, PAGE_SHIFT, PAGE_SIZE, PhysicalMemory } from '../../src/machine/physical.js';
import { Random } from '../../src/machine/random.js';

const GIB = 2 ** 30;

describe('PhysicalMemory basics', () => {
  it('exports the page constants', () => {
    expect(PAGE_SIZE).toBe(4096);
    expect(1 << PAGE_SHIFT).toBe(PAGE_SIZE);
    expect(FOUR_GIB).toBe(2 ** 32);
  });

  it('defaults to 8 GiB with page 0 reserved', () => {
    const mem = new PhysicalMemory();
    expect(mem.size).toBe(8 * GIB);
    expect(mem.totalPages).toBe((8 * GIB) / PAGE_SIZE - 1);
    expect(mem.freePages).toBe(mem.totalPages);
    expect(mem.usedPages).toBe(0);
    expect(mem.extentCount).toBe(1);
    expect(mem.isAllocated(0)).toBe(false);
  });

  it('rejects bad sizes', () => {
    expect(() => new PhysicalMemory({ size: PAGE_SIZE })).toThrow(RangeError);
    expect(() => new PhysicalMemory({ size: 3 * PAGE_SIZE + 1 })).toThrow(RangeError);
  });

  it('allocates top-down: a 64-bit device gets memory above 4 GiB', () => {
    const mem = new PhysicalMemory();
    const a = mem.allocateContiguous(1, Infinity);
    expect(a).toBe(8 * GIB - PAGE_SIZE);
    const b = mem.allocateContiguous(4, Infinity);
    expect(b).toBe(8 * GIB - 5 * PAGE_SIZE);
    expect(b).toBeGreaterThanOrEqual(FOUR_GIB);
    const c = mem.allocateContiguous(2, FOUR_GIB);
    expect(c).toBe(FOUR_GIB - 2 * PAGE_SIZE);
    expect(c + 2 * PAGE_SIZE).toBeLessThanOrEqual(FOUR_GIB);
    expect(mem.usedPages).toBe(7);
    expect(mem.isAllocated(a)).toBe(true);
    expect(mem.isAllocated(a + PAGE_SIZE - 1)).toBe(true);
    expect(mem.isAllocated(a - 1)).toBe(true); // b lies just below a
    expect(mem.isAllocated(c - 1)).toBe(false);
  });

  it('honours a limit that is not page-aligned', () => {
    const mem = new PhysicalMemory({ size: 64 * PAGE_SIZE });
    const a = mem.allocateContiguous(1, 10 * PAGE_SIZE + 100);
    expect(a).toBe(9 * PAGE_SIZE);
  });

  it('never returns page 0 and returns -1 on exhaustion', () => {
    const mem = new PhysicalMemory({ size: 8 * PAGE_SIZE });
    expect(mem.allocateContiguous(8, Infinity)).toBe(-1);
    expect(mem.allocateContiguous(7, Infinity)).toBe(PAGE_SIZE);
    expect(mem.freePages).toBe(0);
    expect(mem.allocateContiguous(1, Infinity)).toBe(-1);
    mem.free(PAGE_SIZE, 7);
    const seen: number[] = [];
    for (;;) {
      const a = mem.allocateContiguous(1, Infinity);
      if (a === -1) break;
      seen.push(a);
    }
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((p) => p * PAGE_SIZE));
    expect(mem.allocateContiguous(1, PAGE_SIZE)).toBe(-1);
  });

  it('returns -1 when free pages exist but not contiguously or not below the limit', () => {
    const mem = new PhysicalMemory({ size: 16 * PAGE_SIZE });
    const pages = [];
    for (let i = 0; i < 15; i++) pages.push(mem.allocateContiguous(1, Infinity));
    // Free every other page: 8 free pages, none adjacent.
    for (let i = 0; i < 15; i += 2) mem.free(pages[i], 1);
    expect(mem.freePages).toBe(8);
    expect(mem.extentCount).toBe(8);
    expect(mem.allocateContiguous(2, Infinity)).toBe(-1);
    expect(mem.allocateContiguous(1, PAGE_SIZE)).toBe(-1);
    expect(mem.allocateContiguous(1, 0)).toBe(-1);
    expect(mem.allocateContiguous(1, 2 * PAGE_SIZE)).toBe(PAGE_SIZE);
  });

  it('allocates scattered runs top-down, all or nothing', () => {
    const mem = new PhysicalMemory({ size: 32 * PAGE_SIZE });
    // Make holes: allocate everything, then free pages 20..24 and 10..12 and 3.
    expect(mem.allocateContiguous(31, Infinity)).toBe(PAGE_SIZE);
    mem.free(20 * PAGE_SIZE, 5);
    mem.free(10 * PAGE_SIZE, 3);
    mem.free(3 * PAGE_SIZE, 1);
    expect(mem.freePages).toBe(9);
    // Not enough below the limit: nothing allocated.
    expect(mem.allocateScattered(5, 13 * PAGE_SIZE, 2)).toBeNull();
    expect(mem.freePages).toBe(9);
    expect(mem.allocateScattered(10, Infinity, 2)).toBeNull();
    expect(mem.freePages).toBe(9);
    expect(mem.extentCount).toBe(3);
    const runs = mem.allocateScattered(7, Infinity, 2);
    expect(runs).toEqual([
      { address: 23 * PAGE_SIZE, pages: 2 },
      { address: 21 * PAGE_SIZE, pages: 2 },
      { address: 20 * PAGE_SIZE, pages: 1 },
      { address: 11 * PAGE_SIZE, pages: 2 },
    ]);
    expect(mem.freePages).toBe(2);
    expect(mem.isAllocated(10 * PAGE_SIZE)).toBe(false);
    expect(mem.allocateScattered(2, Infinity, Infinity)).toEqual([
      { address: 10 * PAGE_SIZE, pages: 1 },
      { address: 3 * PAGE_SIZE, pages: 1 },
    ]);
    expect(mem.freePages).toBe(0);
  });

  it('scattered allocation below a limit splits a straddling extent', () => {
    const mem = new PhysicalMemory({ size: 32 * PAGE_SIZE });
    const runs = mem.allocateScattered(4, 10 * PAGE_SIZE, Infinity);
    expect(runs).toEqual([{ address: 6 * PAGE_SIZE, pages: 4 }]);
    expect(mem.extentCount).toBe(2);
    for (const r of runs ?? []) mem.free(r.address, r.pages);
    expect(mem.extentCount).toBe(1);
  });

  it('throws RangeError on an invalid free and leaves state intact', () => {
    const mem = new PhysicalMemory({ size: 64 * PAGE_SIZE });
    const a = mem.allocateContiguous(4, Infinity);
    const before = mem.freePages;
    expect(() => mem.free(a - PAGE_SIZE, 2)).toThrow(RangeError); // straddles a free page
    expect(() => mem.free(a, 5)).toThrow(RangeError); // runs past the end
    expect(() => mem.free(a + 1, 1)).toThrow(RangeError); // unaligned
    expect(() => mem.free(0, 1)).toThrow(RangeError); // page 0
    expect(() => mem.free(PAGE_SIZE, 1)).toThrow(RangeError); // never allocated
    expect(() => mem.free(a, 0)).toThrow(RangeError);
    expect(() => mem.free(a, 1.5)).toThrow(RangeError);
    expect(() => mem.allocateContiguous(0, Infinity)).toThrow(RangeError);
    expect(() => mem.allocateContiguous(1, Number.NaN)).toThrow(RangeError);
    expect(() => mem.allocateScattered(1, Infinity, 0)).toThrow(RangeError);
    expect(mem.freePages).toBe(before);
    mem.free(a + PAGE_SIZE, 2);
    expect(() => mem.free(a + PAGE_SIZE, 1)).toThrow(RangeError); // double free
    mem.free(a, 1);
    mem.free(a + 3 * PAGE_SIZE, 1);
    expect(mem.freePages).toBe(mem.totalPages);
    expect(mem.extentCount).toBe(1);
  });

  it('backs pages lazily and keeps bytes across page boundaries', () => {
    const mem = new PhysicalMemory({ size: 64 * PAGE_SIZE });
    const a = mem.allocateContiguous(3, Infinity);
    const zeros = new Uint8Array(3 * PAGE_SIZE).fill(0xff);
    mem.read(a, zeros);
    expect(zeros.every((b) => b === 0)).toBe(true);
    expect(mem.backedPages).toBe(0);
    const data = new Uint8Array(100).map((_, i) => i + 1);
    mem.write(a + PAGE_SIZE - 50, data); // spans pages 0 and 1 of the allocation
    expect(mem.backedPages).toBe(2);
    const back = new Uint8Array(100);
    mem.read(a + PAGE_SIZE - 50, back);
    expect(back).toEqual(data);
    const wide = new Uint8Array(3 * PAGE_SIZE);
    mem.read(a, wide);
    expect(wide.subarray(PAGE_SIZE - 50, PAGE_SIZE + 50)).toEqual(data);
    expect(wide[PAGE_SIZE - 51]).toBe(0);
    expect(wide[2 * PAGE_SIZE + 5]).toBe(0);
    mem.write(a, new Uint8Array(0));
    expect(mem.backedPages).toBe(2);
  });

  it('drops the bytes when a range is freed', () => {
    const mem = new PhysicalMemory({ size: 64 * PAGE_SIZE });
    const a = mem.allocateContiguous(2, Infinity);
    mem.write(a, new Uint8Array(2 * PAGE_SIZE).fill(7));
    expect(mem.backedPages).toBe(2);
    mem.free(a, 2);
    expect(mem.backedPages).toBe(0);
    const b = mem.allocateContiguous(2, Infinity);
    expect(b).toBe(a);
    const out = new Uint8Array(2 * PAGE_SIZE);
    mem.read(b, out);
    expect(out.every((x) => x === 0)).toBe(true);
  });

  it('drops only the freed pages of a large range (map walk path)', () => {
    const mem = new PhysicalMemory({ size: 1024 * PAGE_SIZE });
    const a = mem.allocateContiguous(500, Infinity);
    const c = mem.allocateContiguous(1, Infinity);
    mem.write(a + 10 * PAGE_SIZE, new Uint8Array([1]));
    mem.write(c, new Uint8Array([2]));
    mem.free(a, 500);
    expect(mem.backedPages).toBe(1);
    const out = new Uint8Array(1);
    mem.read(c, out);
    expect(out[0]).toBe(2);
  });

  it('throws RangeError when reading or writing unallocated memory', () => {
    const mem = new PhysicalMemory({ size: 64 * PAGE_SIZE });
    const a = mem.allocateContiguous(1, Infinity);
    const b = mem.allocateContiguous(1, Infinity); // just below a
    expect(() => mem.read(a + PAGE_SIZE - 1, new Uint8Array(2))).toThrow(RangeError); // past the end
    expect(() => mem.write(b - 1, new Uint8Array(2))).toThrow(RangeError); // before b
    expect(() => mem.read(0, new Uint8Array(1))).toThrow(RangeError);
    expect(() => mem.write(PAGE_SIZE, new Uint8Array(1))).toThrow(RangeError);
    mem.write(b + PAGE_SIZE - 1, new Uint8Array([1, 2])); // b and a are adjacent: fine
    mem.free(a, 1);
    expect(() => mem.read(a, new Uint8Array(1))).toThrow(RangeError);
    expect(mem.backedPages).toBe(1);
  });

  it('scales to many extents (block splitting) and coalesces back to one', () => {
    const n = 40_000;
    const mem = new PhysicalMemory({ size: (n + 1) * PAGE_SIZE });
    const addrs: number[] = [];
    for (let i = 0; i < n; i++) addrs.push(mem.allocateContiguous(1, Infinity));
    expect(mem.freePages).toBe(0);
    expect(mem.allocateContiguous(1, Infinity)).toBe(-1);
    // Free every other page: n/2 isolated extents.
    for (let i = 0; i < n; i += 2) mem.free(addrs[i], 1);
    expect(mem.extentCount).toBe(n / 2);
    expect(mem.allocateContiguous(2, Infinity)).toBe(-1);
    // Allocation under a low limit must find the lowest extents.
    expect(mem.allocateContiguous(1, 3 * PAGE_SIZE)).toBe(addrs[n - 2]);
    mem.free(addrs[n - 2], 1);
    const rnd = new Random(1);
    const rest: number[] = [];
    for (let i = 1; i < n; i += 2) rest.push(addrs[i]);
    for (let i = rest.length - 1; i > 0; i--) {
      const j = rnd.int(i + 1);
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
    for (const a of rest) mem.free(a, 1);
    expect(mem.freePages).toBe(n);
    expect(mem.extentCount).toBe(1);
    expect(mem.allocateContiguous(n, Infinity)).toBe(PAGE_SIZE);
  });
});

type Op =
  | { kind: 'contig'; pages: number; limit: number }
  | { kind: 'scatter'; pages: number; limit: number; maxRun: number }
  | { kind: 'free'; pick: number }
  | { kind: 'write'; pick: number; offset: number; len: number; fill: number };

interface Live {
  runs: Array<{ address: number; pages: number }>;
  limit: number;
  /** Expected bytes: per page index, written content (sparse). */
}

const limitArb = fc.oneof(
  fc.constant(Infinity),
  fc.integer({ min: 0, max: 300 }).map((p) => p * PAGE_SIZE),
  fc.integer({ min: 0, max: 300 * PAGE_SIZE }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('contig' as const),
      pages: fc.integer({ min: 1, max: 24 }),
      limit: limitArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('scatter' as const),
      pages: fc.integer({ min: 1, max: 40 }),
      limit: limitArb,
      maxRun: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(Infinity)),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      pick: fc.nat(),
      offset: fc.nat(),
      len: fc.integer({ min: 1, max: 3 * PAGE_SIZE }),
      fill: fc.integer({ min: 1, max: 255 }),
    }),
  },
);

/** Reference model: one owner flag per page. */
function freePagesBelow(used: Uint8Array, top: number): number[] {
  const out: number[] = [];
  for (let p = Math.min(top, used.length) - 1; p >= 1; p--) if (!used[p]) out.push(p);
  return out;
}

function pagesBelow(limit: number, count: number): number {
  return limit === Infinity ? count : Math.min(count, Math.floor(limit / PAGE_SIZE));
}

describe('PhysicalMemory properties', () => {
  it('random operation sequences keep the allocator consistent with a page model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 256 }), fc.array(opArb, { maxLength: 80 }), (pageCount, ops) => {
        const mem = new PhysicalMemory({ size: pageCount * PAGE_SIZE });
        const used = new Uint8Array(pageCount);
        const bytes = new Map<number, Uint8Array>(); // model of written pages
        const live: Live[] = [];
        const total = pageCount - 1;
        expect(mem.totalPages).toBe(total);

        const claim = (runs: Array<{ address: number; pages: number }>, limit: number) => {
          for (const r of runs) {
            expect(r.address % PAGE_SIZE).toBe(0);
            expect(r.address).toBeGreaterThanOrEqual(PAGE_SIZE);
            expect(r.address + r.pages * PAGE_SIZE).toBeLessThanOrEqual(Math.min(limit, mem.size));
            for (let k = 0; k < r.pages; k++) {
              const p = r.address / PAGE_SIZE + k;
              expect(used[p]).toBe(0); // no overlap with anything live
              used[p] = 1;
            }
          }
          live.push({ runs, limit });
        };

        for (const op of ops) {
          if (op.kind === 'contig') {
            const top = pagesBelow(op.limit, pageCount);
            // Expected: highest base b with pages b .. b+n-1 free and below top.
            let expected = -1;
            for (let b = top - op.pages; b >= 1 && expected === -1; b--) {
              let ok = true;
              for (let k = 0; k < op.pages; k++) if (used[b + k]) ok = false;
              if (ok) expected = b * PAGE_SIZE;
            }
            const a = mem.allocateContiguous(op.pages, op.limit);
            expect(a).toBe(expected);
            if (a !== -1) claim([{ address: a, pages: op.pages }], op.limit);
          } else if (op.kind === 'scatter') {
            const top = pagesBelow(op.limit, pageCount);
            const candidates = freePagesBelow(used, top);
            const before = mem.freePages;
            const runs = mem.allocateScattered(op.pages, op.limit, op.maxRun);
            if (candidates.length < op.pages) {
              expect(runs).toBeNull();
              expect(mem.freePages).toBe(before);
            } else {
              expect(runs).not.toBeNull();
              const got: number[] = [];
              for (const r of runs ?? []) {
                expect(r.pages).toBeGreaterThanOrEqual(1);
                expect(r.pages).toBeLessThanOrEqual(op.maxRun);
                for (let k = r.pages - 1; k >= 0; k--) got.push(r.address / PAGE_SIZE + k);
              }
              // Top-down: exactly the highest free pages below the limit, in descending order.
              expect(got).toEqual(candidates.slice(0, op.pages));
              claim(runs ?? [], op.limit);
            }
          } else if (op.kind === 'free') {
            if (live.length === 0) continue;
            const [victim] = live.splice(op.pick % live.length, 1);
            for (const r of victim.runs) {
              mem.free(r.address, r.pages);
              for (let k = 0; k < r.pages; k++) {
                const p = r.address / PAGE_SIZE + k;
                used[p] = 0;
                bytes.delete(p);
              }
            }
          } else {
            if (live.length === 0) continue;
            const target = live[op.pick % live.length];
            const run = target.runs[op.pick % target.runs.length];
            const span = run.pages * PAGE_SIZE;
            const offset = op.offset % span;
            const len = Math.min(op.len, span - offset);
            const data = new Uint8Array(len).fill(op.fill);
            mem.write(run.address + offset, data);
            for (let i = 0; i < len; i++) {
              const addr = run.address + offset + i;
              const p = Math.floor(addr / PAGE_SIZE);
              let page = bytes.get(p);
              if (page === undefined) {
                page = new Uint8Array(PAGE_SIZE);
                bytes.set(p, page);
              }
              page[addr % PAGE_SIZE] = op.fill;
            }
            const back = new Uint8Array(span);
            mem.read(run.address, back);
            for (let k = 0; k < run.pages; k++) {
              const expectPage = bytes.get(run.address / PAGE_SIZE + k) ?? new Uint8Array(PAGE_SIZE);
              expect(back.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE)).toEqual(expectPage);
            }
          }

          // Invariants after every step.
          let usedCount = 0;
          let extents = 0;
          for (let p = 1; p < pageCount; p++) {
            if (used[p]) usedCount++;
            else if (p === 1 || used[p - 1]) extents++;
            expect(mem.isAllocated(p * PAGE_SIZE + (p % PAGE_SIZE))).toBe(used[p] === 1);
          }
          expect(mem.usedPages).toBe(usedCount);
          expect(mem.freePages + mem.usedPages).toBe(total);
          expect(mem.extentCount).toBe(extents);
          expect(mem.backedPages).toBe(bytes.size);
        }

        for (const l of live) for (const r of l.runs) mem.free(r.address, r.pages);
        expect(mem.freePages).toBe(total);
        expect(mem.usedPages).toBe(0);
        expect(mem.extentCount).toBe(1);
        expect(mem.backedPages).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('frees in any order coalesce back to a single extent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 60 }),
        fc.integer(),
        (sizes, seed) => {
          const mem = new PhysicalMemory({ size: 1024 * PAGE_SIZE });
          const initial = mem.freePages;
          const got: Array<[number, number]> = [];
          for (const s of sizes) {
            const a = mem.allocateContiguous(s, Infinity);
            if (a !== -1) got.push([a, s]);
            expect(mem.freePages + mem.usedPages).toBe(mem.totalPages);
          }
          const rnd = new Random(seed);
          while (got.length > 0) {
            const [a, s] = got.splice(rnd.int(got.length), 1)[0];
            mem.free(a, s);
          }
          expect(mem.freePages).toBe(initial);
          expect(mem.extentCount).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
