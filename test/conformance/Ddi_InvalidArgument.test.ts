/** Ddi_InvalidArgument: ULONG parameters are integers in 0..0xFFFFFFFF; otherwise NULL, never a TypeError. */
import { describe, expect, it } from 'vitest';
import { NdisAllocateMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { type Sim, sim } from '../harness.js';
import {
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Ddi_InvalidArgument';

function allocate(s: Sim, length: unknown, tag: unknown, priority: unknown): number {
  return s.at(DISPATCH_LEVEL, () =>
    NdisAllocateMemoryWithTagPriority(s.adapter, length as number, tag as number, priority as number),
  );
}

function expectNothingAllocated(s: Sim): void {
  expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  expect(s.engine.memory.total.allocations).toBe(0);
  expect(s.engine.memory.byTag.size).toBe(0);
}

describe('Ddi_InvalidArgument', () => {
  it.each([
    ['-1', -1],
    ['1.5', 1.5],
    ["'64' (a string)", '64'],
    ['2**32', 2 ** 32],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['64n (a bigint)', 64n],
    ['null', null],
  ])('breaks: Length %s is recorded; NULL is returned, nothing allocated, no TypeError', (_what, length) => {
    const s = sim();
    let p: number | undefined;
    expect(() => {
      p = allocate(s, length, TAG, NormalPoolPriority);
    }).not.toThrow();
    expect(p).toBe(0);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateMemoryWithTagPriority',
      irql: DISPATCH_LEVEL,
      args: { NdisHandle: 'TestAdapter', Length: length, Tag: TAG_TEXT, Priority: 16 },
      message: ['Length is not a ULONG', 'returns NULL'],
      allocationSite: false,
    });
    expect(theFinding(s, RULE).bugCheck).toBeNull();
    expectNothingAllocated(s);
  });

  it.each([
    ['-1', -1],
    ['1.5', 1.5],
    ["'Test' (a string)", 'Test'],
    ['2**32', 2 ** 32],
    ['undefined', undefined],
  ])('breaks: Tag %s is recorded; NULL is returned, no TypeError', (what, tag) => {
    const s = sim();
    let p: number | undefined;
    expect(() => {
      p = allocate(s, 64, tag, NormalPoolPriority);
    }).not.toThrow();
    expect(p).toBe(0);
    const v = theFinding(s, RULE);
    expect(v.message).toContain('Tag is not a ULONG');
    expect(v.args.Length).toBe(64);
    expect(v.args.Priority).toBe(16);
    expect(v.ddi).toBe('NdisAllocateMemoryWithTagPriority');
    expect(v.irql).toBe(DISPATCH_LEVEL);
    expect(v.driver).toBe('TestDriver');
    expect(v.adapter).toBe('TestAdapter');
    expect(typeof v.args.Tag, `Tag ${what} is shown as text`).toBe('string');
    expectNothingAllocated(s);
  });

  it.each([
    ['1.5', 1.5],
    ["'16' (a string)", '16'],
    ['-16', -16],
    ['NaN', Number.NaN],
    ['null', null],
  ])(
    'breaks: Priority %s is recorded (and as Pool_InvalidPriority); NULL is returned, no TypeError',
    (_what, priority) => {
      const s = sim();
      let p: number | undefined;
      expect(() => {
        p = allocate(s, 64, TAG, priority);
      }).not.toThrow();
      expect(p).toBe(0);
      const v = theFinding(s, RULE);
      expect(v.message).toContain('Priority is not a ULONG');
      expect(v.args).toEqual({ NdisHandle: 'TestAdapter', Length: 64, Tag: TAG_TEXT, Priority: priority });
      expect(s.findings('Pool_InvalidPriority')).toHaveLength(1);
      expectNothingAllocated(s);
    },
  );

  it('breaks: a Tag that is not a ULONG is shown in the report as passed, not wrapped to 32 bits', () => {
    // src/verifier/violation.ts: args are "as passed"; -1, 1.5 and 2**32 must not read as 0xffffffff, 0x1, 0x0.
    const shown: Record<string, unknown> = {};
    for (const tag of [-1, 1.5, 2 ** 32]) {
      const s = sim();
      allocate(s, 64, tag, NormalPoolPriority);
      shown[String(tag)] = theFinding(s, RULE).args.Tag;
    }
    expect(shown['-1']).toContain('-1');
    expect(shown['1.5']).toContain('1.5');
    expect(shown['4294967296']).toContain('4294967296');
  });

  it('breaks: a Tag that cannot be converted to a string (null-prototype object) is recorded, not a TypeError', () => {
    const s = sim();
    let p: number | undefined;
    expect(() => {
      p = allocate(s, 64, Object.create(null), NormalPoolPriority);
    }).not.toThrow();
    expect(p).toBe(0);
    expect(s.findings(RULE)).toHaveLength(1);
    expectNothingAllocated(s);
  });

  it('breaks: a Priority that cannot be converted to a string (null-prototype object) is recorded, not a TypeError', () => {
    const s = sim();
    let p: number | undefined;
    expect(() => {
      p = allocate(s, 64, TAG, Object.create(null));
    }).not.toThrow();
    expect(p).toBe(0);
    expect(s.findings(RULE)).toHaveLength(1);
    expectNothingAllocated(s);
  });

  it('breaks: under the bugcheck policy the run stops with the rule name (no documented code)', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() => allocate(s, -1, TAG, NormalPoolPriority));
    expect(e.info).toBeNull();
    expect(e.violation.rule).toBe(RULE);
    expectNothingAllocated(s);
  });

  it('keeps: the ULONG extremes are valid arguments', () => {
    const s = sim();
    expect(allocate(s, 1, 0xffffffff, NormalPoolPriority)).not.toBe(0);
    expect(allocate(s, 4096, 1, 32)).not.toBe(0);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
    expect(live(s.engine)).toEqual({ count: 2, bytes: 4097 });
  });

  it('keeps: Length 0xFFFFFFFF is a valid ULONG; the pool model fails it with NULL, not this rule', () => {
    const s = sim();
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 0xffffffff, TAG, 32))).toBe(
      0,
    );
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
