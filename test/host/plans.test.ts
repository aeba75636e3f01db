/**
 * Fault plans: the text form reads back to the same plan (explore hands plans on as data and prints
 * them as text for `run --faults`), random plans fail only pool tags matching their patterns, and a
 * recorded run closes its trace file even when the driver never loads.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlan } from '../../src/host/plan-run.js';
import { type FaultPlan, formatPlan, parsePlan, planHook, tagPatternProblem } from '../../src/host/plans.js';
import { SCENARIOS } from '../../src/host/scenario.js';
import type { LoadedDriver } from '../../src/loader/load-driver.js';

describe('formatPlan and parsePlan', () => {
  it.each<FaultPlan>([
    { kind: 'nth', ordinals: [3] },
    { kind: 'nth', ordinals: [3, 7] },
    { kind: 'site', site: '1a2b3c4d' },
    { kind: 'random', rate: 0.06, seed: 5, tags: [] },
    { kind: 'random', rate: 1e-7, seed: 1, tags: [] },
    { kind: 'random', rate: 5e-324, seed: 2, tags: ['Rx*'] },
    { kind: 'random', rate: 1, seed: 0, tags: ['Rx*', 'T?x*', 'a.b'] },
    { kind: 'random', rate: 0, seed: 9, tags: ['*'] },
  ])('round-trips %o', (plan) => {
    const text = formatPlan(plan);
    expect(parsePlan(text)).toEqual(plan);
  });

  it('prints a small rate with an exponent, as JavaScript does, and reads it back', () => {
    expect(formatPlan({ kind: 'random', rate: 1e-7, seed: 3, tags: [] })).toBe('random:1e-7@3');
    expect(parsePlan('random:2.5E-3@3')).toEqual({ kind: 'random', rate: 0.0025, seed: 3, tags: [] });
  });

  it('refuses what is no plan: a rate out of range, a seed past 2^53, a tag pattern with [ ] or ,', () => {
    for (const text of ['random:1e1@1', 'random:1.0.1@1', 'random:.@1', 'random:0.5@99999999999999999999']) {
      expect(typeof parsePlan(text), text).toBe('string');
    }
    expect(parsePlan('random:0.5@1[R[x]')).toBe(
      "fault plan 'random:0.5@1[R[x]': pool-tag pattern 'R[x' holds '[', ']' or ','",
    );
    for (const pattern of ['', 'a]', '[a', 'a,b']) expect(tagPatternProblem(pattern), pattern).not.toBeNull();
    for (const pattern of ['Rx*', 'MNic', '*', 'a b']) expect(tagPatternProblem(pattern), pattern).toBeNull();
  });
});

/** A request the engine would make for a pool allocation with `tag`. */
const request = (ordinal: number, tag: number) =>
  ({ ordinal, ddi: 'NdisAllocateMemoryWithTagPriority', tag }) as Parameters<
    ReturnType<typeof planHook>['hook']
  >[0];

/** A tag from its four characters in memory order. */
const tag = (text: string) =>
  (text.charCodeAt(0) |
    (text.charCodeAt(1) << 8) |
    (text.charCodeAt(2) << 16) |
    (text.charCodeAt(3) << 24)) >>>
  0;

describe('random plans and pool tags', () => {
  it('fail only the tags that match a pattern (never an untagged call), every time alike', () => {
    const { hook } = planHook({ kind: 'random', rate: 1, seed: 1, tags: ['Rx*', 'T?b'] }, '/');
    const fails = ['RxBf', 'Rx..', 'TxBf', 'Txb\0', 'TXb\0', 'rxBf', 'RxBf'].map((t, i) =>
      hook(request(i + 1, tag(t))),
    );
    expect(fails).toEqual([true, true, false, false, false, false, true]);
    expect(hook(request(9, 0))).toBe(false);
    const all = planHook({ kind: 'random', rate: 1, seed: 1, tags: [] }, '/');
    expect(all.hook(request(1, 0))).toBe(true);
  });

  it('draw the random choice only for matching tags (a filtered plan replays the same calls)', () => {
    const plan: FaultPlan = { kind: 'random', rate: 0.5, seed: 4, tags: ['Rx*'] };
    const onlyRx = planHook(plan, '/').hook;
    const mixed = planHook(plan, '/').hook;
    const rx = Array.from({ length: 32 }, (_, i) => onlyRx(request(i + 1, tag('RxBf'))));
    const interleaved: boolean[] = [];
    for (let i = 0; i < 32; i++) {
      expect(mixed(request(2 * i + 1, tag('TxBf')))).toBe(false);
      interleaved.push(mixed(request(2 * i + 2, tag('RxBf'))));
    }
    expect(interleaved).toEqual(rx);
    expect(rx).toContain(true);
    expect(rx).toContain(false);
  });
});

describe('a recorded run of a driver whose top level throws', () => {
  it('closes its trace file (header written, no descriptor left open) and throws the load error', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ndis-sim-plan-run-')), 't.jsonl');
    const driver: LoadedDriver = {
      file: '/drivers/throws.ts',
      instantiate: () => {
        throw new Error('its top level threw');
      },
      dispose: () => undefined,
    };
    const record = { file, scenario: 'full-lifecycle', producer: 'test' };
    expect(() => runPlan(driver, SCENARIOS['full-lifecycle'], null, {}, '/drivers/', false, record)).toThrow(
      'its top level threw',
    );
    // The sink writes on close: the header is there only if the file was closed.
    expect(JSON.parse(readFileSync(file, 'utf8').split('\n')[0])).toMatchObject({ format: 'ndis-sim-trace' });
  });
});
