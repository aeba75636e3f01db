/**
 * Property: random sequences of general-memory operations keep the engine's accounting (total, per
 * owner, per tag) equal to a plain model, produce exactly the findings the model expects, and never
 * throw. Operations: allocate (driver or adapter handle, length 0..5000, tag from a small set, a valid
 * priority), free a live block with one of the three frees and correct arguments, free an already
 * freed block again, and free an interior address of a live block.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Accounting } from '../../src/engine/objects.js';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTag,
  NdisFreeMemoryWithTagPriority,
} from '../../src/ndis/memory.js';
import { CATALOGUE } from '../../src/verifier/catalogue.js';
import { type Sim, sim } from '../harness.js';

const TAGS = [0x41414141, 0x6d61444e, 0x74736554, 1] as const;
const PRIORITIES = [0, 8, 9, 16, 24, 25, 32, 40, 41] as const;

type Owner = 'driver' | 'adapter';
/** 0 NdisFreeMemory, 1 NdisFreeMemoryWithTagPriority, 2 NdisFreeMemoryWithTag. */
type FreeDdi = 0 | 1 | 2;

type Op =
  | { kind: 'allocate'; owner: Owner; length: number; tag: number; priority: number; irql: number }
  | { kind: 'free'; pick: number; ddi: FreeDdi; irql: number }
  | { kind: 'doubleFree'; pick: number; ddi: FreeDdi; irql: number }
  | { kind: 'interiorFree'; pick: number; offset: number; ddi: FreeDdi; irql: number };

const irql = fc.constantFrom(0, 1, 2);
const ddi = fc.constantFrom<FreeDdi>(0, 1, 2);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('allocate' as const),
      owner: fc.constantFrom<Owner>('driver', 'adapter'),
      length: fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 9, arbitrary: fc.integer({ min: 0, max: 5000 }) },
      ),
      tag: fc.constantFrom(...TAGS),
      priority: fc.constantFrom(...PRIORITIES),
      irql,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat(), ddi, irql }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('doubleFree' as const), pick: fc.nat(), ddi, irql }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('interiorFree' as const),
      pick: fc.nat(),
      offset: fc.nat(),
      ddi,
      irql,
    }),
  },
);

/** The model of one Accounting. */
class Account {
  liveCount = 0;
  liveBytes = 0;
  highCount = 0;
  highBytes = 0;
  allocations = 0;
  frees = 0;
  charge(bytes: number): void {
    this.liveCount++;
    this.liveBytes += bytes;
    this.allocations++;
    this.highCount = Math.max(this.highCount, this.liveCount);
    this.highBytes = Math.max(this.highBytes, this.liveBytes);
  }
  credit(bytes: number): void {
    this.liveCount--;
    this.liveBytes -= bytes;
    this.frees++;
  }
}

interface Block {
  readonly base: number;
  readonly length: number;
  readonly tag: number;
  readonly owner: Owner;
}

function same(actual: Accounting | undefined, expected: Account, what: string): void {
  expect(actual, what).toBeDefined();
  expect(
    {
      liveCount: actual?.liveCount,
      liveBytes: actual?.liveBytes,
      highCount: actual?.highCount,
      highBytes: actual?.highBytes,
      allocations: actual?.allocations,
      frees: actual?.frees,
    },
    what,
  ).toEqual({ ...expected });
}

/** Runs `ops` against a fresh engine and a model; asserts they agree after every step. */
function check(ops: readonly Op[]): void {
  const s: Sim = sim();
  const total = new Account();
  const byOwner: Record<Owner, Account> = { driver: new Account(), adapter: new Account() };
  const byTag = new Map<number, Account>();
  const live: Block[] = [];
  const freed: Block[] = [];
  const expected = new Map<string, number>();
  const expectFinding = (rule: string) => expected.set(rule, (expected.get(rule) ?? 0) + 1);
  const handle = (owner: Owner) => (owner === 'driver' ? s.driver : s.adapter);

  const free = (how: FreeDdi, address: number, block: Block) => {
    if (how === 0) NdisFreeMemory(address, block.length, 0);
    else if (how === 1) NdisFreeMemoryWithTagPriority(handle(block.owner), address, block.tag);
    else NdisFreeMemoryWithTag(address, block.tag);
  };

  for (const o of ops) {
    s.at(o.irql, () => {
      switch (o.kind) {
        case 'allocate': {
          const base = NdisAllocateMemoryWithTagPriority(handle(o.owner), o.length, o.tag, o.priority);
          expect(base).not.toBe(0);
          live.push({ base, length: o.length, tag: o.tag, owner: o.owner });
          total.charge(o.length);
          byOwner[o.owner].charge(o.length);
          let account = byTag.get(o.tag);
          if (account === undefined) {
            account = new Account();
            byTag.set(o.tag, account);
          }
          account.charge(o.length);
          if (o.length === 0) expectFinding('Pool_ZeroByteAllocation');
          break;
        }
        case 'free': {
          if (live.length === 0) return;
          const [block] = live.splice(o.pick % live.length, 1);
          free(o.ddi, block.base, block);
          freed.push(block);
          total.credit(block.length);
          byOwner[block.owner].credit(block.length);
          byTag.get(block.tag)?.credit(block.length);
          if (o.ddi === 2) expectFinding('NdisFreeMemoryWithTag_Deprecated');
          break;
        }
        case 'doubleFree': {
          if (freed.length === 0) return;
          const block = freed[o.pick % freed.length];
          free(o.ddi, block.base, block);
          expectFinding('Pool_DoubleFree');
          break;
        }
        case 'interiorFree': {
          const candidates = live.filter((b) => b.length >= 2);
          if (candidates.length === 0) return;
          const block = candidates[o.pick % candidates.length];
          free(o.ddi, block.base + 1 + (o.offset % (block.length - 1)), block);
          expectFinding('Pool_FreeInteriorAddress');
          break;
        }
      }
    });

    const memory = s.engine.memory;
    same(memory.total, total, 'total');
    same(s.driver.pool, byOwner.driver, 'driver');
    same(s.adapter.pool, byOwner.adapter, 'adapter');
    expect([...memory.byTag.keys()].sort()).toEqual([...byTag.keys()].sort());
    for (const [tag, account] of byTag) same(memory.byTag.get(tag), account, `tag 0x${tag.toString(16)}`);
  }

  for (const block of live) expect(s.engine.virtual.get(block.base)).toBeDefined();
  for (const block of freed) expect(s.engine.virtual.get(block.base)).toBeUndefined();
  expect([...s.engine.memory.live()]).toHaveLength(live.length);
  const actual: Record<string, number> = {};
  const wanted: Record<string, number> = {};
  for (const rule of CATALOGUE) {
    actual[rule.id] = s.findings(rule.id).length;
    wanted[rule.id] = expected.get(rule.id) ?? 0;
  }
  expect(actual).toEqual(wanted);
  expect(s.engine.violations).toHaveLength([...expected.values()].reduce((a, b) => a + b, 0));
}

describe('general memory (property)', () => {
  it('accounting and findings match a plain model over random operation sequences; nothing throws', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        check(ops);
      }),
      { numRuns: 200 },
    );
  });

  it('the model itself is exercised: a fixed sequence with every kind of operation', () => {
    check([
      { kind: 'allocate', owner: 'adapter', length: 100, tag: TAGS[0], priority: 16, irql: 0 },
      { kind: 'allocate', owner: 'driver', length: 0, tag: TAGS[1], priority: 0, irql: 2 },
      { kind: 'allocate', owner: 'driver', length: 5000, tag: TAGS[0], priority: 41, irql: 1 },
      { kind: 'interiorFree', pick: 0, offset: 50, ddi: 1, irql: 0 },
      { kind: 'free', pick: 0, ddi: 2, irql: 2 },
      { kind: 'doubleFree', pick: 0, ddi: 0, irql: 0 },
      { kind: 'free', pick: 0, ddi: 1, irql: 0 },
      { kind: 'free', pick: 0, ddi: 0, irql: 1 },
      { kind: 'doubleFree', pick: 1, ddi: 2, irql: 2 },
    ]);
  });
});
