import { describe, expect, it } from 'vitest';
import { Random } from '../../src/machine/random.js';

function take(r: Random, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.nextU32());
  return out;
}

describe('Random', () => {
  it('gives the same sequence for the same seed', () => {
    expect(take(new Random(42), 100)).toEqual(take(new Random(42), 100));
    expect(take(new Random(-7), 10)).toEqual(take(new Random(-7), 10));
    expect(take(new Random(2 ** 40 + 3), 10)).toEqual(take(new Random(2 ** 40 + 3), 10));
  });

  it('gives different sequences for nearby seeds', () => {
    const a = take(new Random(0), 20);
    const b = take(new Random(1), 20);
    expect(a).not.toEqual(b);
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(2);
  });

  it('produces values in range', () => {
    const r = new Random(3);
    for (let i = 0; i < 10_000; i++) {
      const u = r.nextU32();
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
      const f = r.next();
      expect(f >= 0 && f < 1).toBe(true);
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(r.int(1)).toBe(0);
    const big = r.int(2 ** 32);
    expect(big >= 0 && big < 2 ** 32).toBe(true);
  });

  it('int is roughly uniform', () => {
    const r = new Random(11);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
  });

  it('chance honours its bounds and probability', () => {
    const r = new Random(5);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) {
      expect(r.chance(0)).toBe(false);
      expect(r.chance(1)).toBe(true);
      if (r.chance(0.25)) hits++;
    }
    expect(Math.abs(hits - 2500)).toBeLessThan(250);
  });

  it('rejects invalid arguments', () => {
    const r = new Random(1);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(1.5)).toThrow(RangeError);
    expect(() => r.int(2 ** 32 + 1)).toThrow(RangeError);
    expect(() => r.chance(Number.NaN)).toThrow(RangeError);
    expect(() => new Random(Number.NaN)).toThrow(RangeError);
    expect(() => new Random(0.5)).toThrow(RangeError);
  });

  it('fork is deterministic, independent and does not advance the parent', () => {
    const parent = new Random(9);
    const twin = new Random(9);
    const f1 = parent.fork(1);
    const f1again = parent.fork(1);
    const f2 = parent.fork(2);
    expect(take(parent, 20)).toEqual(take(twin, 20));
    const s1 = take(f1, 20);
    expect(take(f1again, 20)).toEqual(s1);
    expect(take(f2, 20)).not.toEqual(s1);
    expect(s1).not.toEqual(take(new Random(9), 20));
    // A fork taken from a later state differs from one taken earlier with the same salt.
    expect(take(parent.fork(1), 20)).not.toEqual(s1);
  });
});
