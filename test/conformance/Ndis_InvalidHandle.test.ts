/** Ndis_InvalidHandle: the NdisHandle is a live handle of this run; otherwise NULL and nothing allocated (SPEC §3.1). */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { type Sim, sim } from '../harness.js';
import {
  counts,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Ndis_InvalidHandle';

function expectNothingAllocated(s: Sim): void {
  expect(counts(s.engine.memory.total)).toEqual({
    liveCount: 0,
    liveBytes: 0,
    highCount: 0,
    highBytes: 0,
    allocations: 0,
    frees: 0,
  });
  expect(s.engine.memory.byTag.size).toBe(0);
  expect(s.adapter.pool.allocations).toBe(0);
  expect(s.driver.pool.allocations).toBe(0);
}

describe('Ndis_InvalidHandle', () => {
  const cases: [string, (s: Sim) => unknown, string][] = [
    ['a plain object', () => ({}), '<object that is not an NDIS handle>'],
    [
      'a plain object that looks like the adapter',
      () => ({ name: 'TestAdapter', live: true }),
      'TestAdapter',
    ],
    ['a number', () => 0x1234, '0x1234'],
    ['a kernel-looking number', () => -0x600000000000, '0xffffa00000000000'],
    ['NULL', () => null, 'NULL'],
    ['undefined', () => undefined, 'NULL'],
    [
      'an adapter handle of another Engine',
      () => {
        const other = new Engine();
        return other.createAdapter(other.createDriver('OtherDriver'), 'OtherAdapter');
      },
      'OtherAdapter',
    ],
    ['a driver handle of another Engine', () => new Engine().createDriver('OtherDriver'), 'OtherDriver'],
    [
      'a stale adapter handle (live = false)',
      (s) => {
        s.adapter.live = false;
        return s.adapter;
      },
      'TestAdapter',
    ],
    [
      'a stale driver handle (live = false)',
      (s) => {
        s.driver.live = false;
        return s.driver;
      },
      'TestDriver',
    ],
  ];

  it.each(cases)(
    'breaks: %s is recorded; NULL is returned and nothing is allocated',
    (_what, make, shown) => {
      const s = sim();
      const handle = make(s);
      let asked = 0;
      s.engine.faults = () => {
        asked++;
        return false;
      };
      const p = s.at(DISPATCH_LEVEL, () =>
        NdisAllocateMemoryWithTagPriority(handle as never, 64, TAG, NormalPoolPriority),
      );
      expect(p).toBe(0);
      expectFinding(theFinding(s, RULE), RULE, {
        ddi: 'NdisAllocateMemoryWithTagPriority',
        irql: DISPATCH_LEVEL,
        args: { NdisHandle: shown, Length: 64, Tag: TAG_TEXT, Priority: 16 },
        message: ['NdisHandle', 'not a live NDIS handle', 'returns NULL'],
        allocationSite: false,
      });
      expect(theFinding(s, RULE).bugCheck).toBeNull();
      expect(s.engine.violations.map((v) => v.rule)).toEqual([RULE]);
      expectNothingAllocated(s);
      // Nothing to inject a fault into: the call never reached the allocator.
      expect(asked).toBe(0);
    },
  );

  it('breaks: under the bugcheck policy a forged handle stops the run with the rule name (no documented code)', () => {
    const s = sim({ policy: 'bugcheck' });
    let thrown: unknown;
    try {
      s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority({} as never, 64, TAG, NormalPoolPriority));
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { name?: string }).name).toBe('BugCheck');
    expect((thrown as { info: unknown }).info).toBeNull();
    expectNothingAllocated(s);
  });

  it('breaks: NdisFreeMemoryWithTagPriority with a forged NdisHandle is recorded as an invalid handle', () => {
    // docs/decisions.md, "Invalid handles and arguments": any value that is not a live handle of this run.
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority({} as never, p, TAG));
    const v = theFinding(s, RULE);
    expect(v.ddi).toBe('NdisFreeMemoryWithTagPriority');
    expect(v.args.NdisHandle).toBe('<object that is not an NDIS handle>');
    expect(v.message).toContain('not a live NDIS handle');
  });

  it('keeps: the miniport driver handle and the miniport adapter handle are both valid', () => {
    const s = sim();
    const a = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.driver, 64, TAG, NormalPoolPriority),
    );
    const b = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 32, TAG, NormalPoolPriority),
    );
    expect(a).not.toBe(0);
    expect(b).not.toBe(0);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(counts(s.driver.pool)).toMatchObject({ liveCount: 1, liveBytes: 64 });
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 1, liveBytes: 32 });
  });
});
