/**
 * The port-number allocator (src/engine/port-numbers.ts): lowest free number from 1 upward, reuse of
 * freed numbers, exhaustion at the limit, growth of the bitmap, and the full range of 0xFFFFFF numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PortNumbers } from '../../src/engine/port-numbers.js';

describe('PortNumbers', () => {
  it('hands out 1, 2, 3, ... and never 0 (the default port)', () => {
    const p = new PortNumbers();
    expect([p.allocate(), p.allocate(), p.allocate()]).toEqual([1, 2, 3]);
    expect(p.has(0)).toBe(true);
    expect(p.free(0)).toBe(false);
    expect(p.count).toBe(3);
  });

  it('reuses the lowest freed number first', () => {
    const p = new PortNumbers();
    for (let i = 0; i < 100; i++) p.allocate();
    expect(p.free(70)).toBe(true);
    expect(p.free(7)).toBe(true);
    expect(p.free(33)).toBe(true);
    expect(p.free(33)).toBe(false);
    expect([p.allocate(), p.allocate(), p.allocate(), p.allocate()]).toEqual([7, 33, 70, 101]);
  });

  it('is exhausted at its limit (0 = none left), and a free makes room again', () => {
    const p = new PortNumbers(5);
    expect([p.allocate(), p.allocate(), p.allocate(), p.allocate()]).toEqual([1, 2, 3, 4]);
    expect(p.allocate()).toBe(0);
    expect(p.has(5)).toBe(false);
    expect(p.free(5)).toBe(false);
    p.free(2);
    expect(p.allocate()).toBe(2);
    expect(p.allocate()).toBe(0);
  });

  it('grows past its first 1024 bits, word and level boundaries included', () => {
    const p = new PortNumbers(70_000);
    for (let n = 1; n < 70_000; n++) if (p.allocate() !== n) throw new Error(`expected ${n}`);
    expect(p.allocate()).toBe(0);
    for (const n of [31, 32, 1023, 1024, 32767, 32768, 65535, 69_999]) expect(p.free(n)).toBe(true);
    for (const n of [31, 32, 1023, 1024, 32767, 32768, 65535, 69_999]) expect(p.allocate()).toBe(n);
    expect(p.allocate()).toBe(0);
  });

  it('allocates and frees a million numbers, reusing the lowest free ones', () => {
    const p = new PortNumbers();
    for (let n = 1; n <= 1_000_000; n++) if (p.allocate() !== n) throw new Error(`expected ${n}`);
    for (let n = 1_000_000; n >= 1; n -= 3) p.free(n);
    for (let n = 1_000_000 % 3 || 3; n <= 1_000_000; n += 3)
      if (p.allocate() !== n) throw new Error(`reuse ${n}`);
    expect(p.count).toBe(1_000_000);
    for (let n = 1; n <= 1_000_000; n++) p.free(n);
    expect(p.count).toBe(0);
    expect(p.allocate()).toBe(1);
  });

  it('covers the full range: 0xFFFFFF numbers, then exhaustion', () => {
    const p = new PortNumbers();
    for (let n = 1; n <= 0xffffff; n++) if (p.allocate() !== n) throw new Error(`expected ${n}`);
    expect(p.allocate()).toBe(0);
    expect(p.has(0xffffff)).toBe(true);
    expect(p.has(0x1000000)).toBe(false);
    expect(p.free(0xabcdef)).toBe(true);
    expect(p.allocate()).toBe(0xabcdef);
    expect(p.allocate()).toBe(0);
  });

  it('agrees with a plain model (lowest free, limit) over random sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 3100 })), { maxLength: 400 }),
        (limit, ops) => {
          const p = new PortNumbers(limit);
          const used = new Set<number>();
          for (const op of ops) {
            if (op < 0) {
              let n = 1;
              while (used.has(n)) n++;
              const expected = n < limit ? n : 0;
              expect(p.allocate()).toBe(expected);
              if (expected !== 0) used.add(expected);
            } else {
              expect(p.free(op)).toBe(used.delete(op));
            }
            expect(p.count).toBe(used.size);
          }
        },
      ),
    );
  });
});
