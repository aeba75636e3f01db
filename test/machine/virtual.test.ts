/**
 * The virtual address space's foreign regions (a trace's own addresses): found from any interior
 * address through the page index, forgotten when unmapped and then remembered as freed, against a
 * plain model (a list scanned in full).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Region, VirtualSpace } from '../../src/machine/virtual.js';

const region = (base: number, length: number, mapped = length): Region => ({
  base,
  length,
  mapped,
  bytes: null,
});

describe('VirtualSpace foreign regions', () => {
  it('finds the region holding an interior address of small, page-crossing and large regions', () => {
    const space = new VirtualSpace();
    const small = region(-0x39f5e4d3f000 + 0x10, 64);
    const crossing = region(-0x39f5e4d3e000 + 0xf00, 0x300);
    const large = region(-0x39f5e0000000, 64 << 20);
    for (const r of [small, crossing, large]) space.mapForeign(r.base, r);
    expect(space.containing(small.base + 63)).toBe(small);
    expect(space.containing(small.base + 64)).toBeUndefined();
    expect(space.containing(crossing.base + 0x200)).toBe(crossing);
    expect(space.containing(large.base + (40 << 20))).toBe(large);
    space.unmapForeign(crossing.base);
    expect(space.containing(crossing.base + 0x200)).toBeUndefined();
    expect(space.unmappedForeign(crossing.base + 0x200)).toBe(crossing);
    space.unmap(large);
    expect(space.containing(large.base + 5)).toBeUndefined();
    expect(space.unmappedForeign(large.base + 5)).toBe(large);
    expect(space.containing(small.base)).toBe(small);
  });

  it('finds the holder of an address even when another foreign region sits at its slot base', () => {
    const space = new VirtualSpace();
    // The base of the 8-MiB-slot span (size class 23): a trace's region can land on a slot base.
    const slotBase = -0x600000000000 + 19 * 2 ** 41;
    const atSlot = region(slotBase, 4096);
    const holder = region(slotBase + 8192, 100);
    space.mapForeign(atSlot.base, atSlot);
    space.mapForeign(holder.base, holder);
    expect(space.containing(slotBase + 8200)).toBe(holder);
    // Held by none: past the end of the region at the slot's base, as for a live slot (an overrun).
    expect(space.containing(slotBase + 5000)).toBe(atSlot);
  });

  it('agrees with a plain scan under any sequence of maps, unmaps and look-ups', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('map' as const),
        page: fc.integer({ min: 0, max: 40 }),
        offset: fc.integer({ min: 0, max: 4095 }),
        length: fc.integer({ min: 1, max: 3 * 4096 }),
      }),
      fc.record({ kind: fc.constant('unmap' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('look' as const), address: fc.integer({ min: 0, max: 45 * 4096 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const origin = -0x39f5e4d00000;
        const space = new VirtualSpace();
        const live: Region[] = [];
        for (const o of ops) {
          if (o.kind === 'map') {
            const base = origin + o.page * 4096 + o.offset;
            if (live.some((r) => base < r.base + r.mapped && r.base < base + o.length)) continue;
            const r = region(base, o.length);
            live.push(r);
            space.mapForeign(base, r);
          } else if (o.kind === 'unmap') {
            if (live.length === 0) continue;
            const [r] = live.splice(o.pick % live.length, 1);
            space.unmapForeign(r.base);
          } else {
            const address = origin + o.address;
            const holder = live.find((r) => address >= r.base && address < r.base + r.mapped);
            const found = space.containing(address);
            // The holder if any; otherwise nothing, or a slot's region the address lies past.
            if (holder !== undefined || found !== undefined) expect(found).toBe(holder ?? found);
            if (holder === undefined && found !== undefined) expect(found.base).toBeLessThan(address);
          }
        }
      }),
    );
  });
});
