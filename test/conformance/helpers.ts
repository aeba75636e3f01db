/**
 * Shared constants and assertions for the per-rule conformance tests (one file per catalogue rule).
 * Every finding is checked the same way: rule identity, DDI, arguments by their documented names
 * (addresses as unsigned 64-bit hex), IRQL, the driver/adapter it is charged to, the call site and,
 * where the resource concerned was captured, the allocation site.
 */
import { expect } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { Accounting } from '../../src/engine/objects.js';
import { formatAddress } from '../../src/machine/address.js';
import { findRule } from '../../src/verifier/catalogue.js';
import { BugCheck, type Violation } from '../../src/verifier/violation.js';
import type { Sim } from '../harness.js';

/** IRQLs (x64 numbering, SPEC §10.2). */
export const PASSIVE_LEVEL = 0;
export const APC_LEVEL = 1;
export const DISPATCH_LEVEL = 2;
export const HIGH_LEVEL = 15;

/** NdisFreeMemory MemoryFlags (SPEC §10.3). */
export const NDIS_MEMORY_CONTIGUOUS = 1;
export const NDIS_MEMORY_NONCACHED = 2;

/** EX_POOL_PRIORITY values (SPEC §3.5). */
export const LowPoolPriority = 0;
export const NormalPoolPriority = 16;
export const HighPoolPriority = 32;
export const VALID_PRIORITIES = [0, 8, 9, 16, 24, 25, 32, 40, 41] as const;

/** Bug-check codes (SPEC §10.7) and the page-fault code the access rules use. */
export const DRIVER_VERIFIER_DETECTED_VIOLATION = 0xc4;
export const PAGE_FAULT_IN_NONPAGED_AREA = 0x50;

/** A distinctive pool tag, 'Test' in memory, and how reports print it. */
export const TAG = 0x74736554;
export const TAG_TEXT = "'Test' (0x74736554)";
/** A second tag, 'Tag2' in memory. */
export const TAG2 = 0x32676154;
export const TAG2_TEXT = "'Tag2' (0x32676154)";

/** Unsigned 64-bit hex of an address, as reports print it. */
export const hex = formatAddress;

/** What a finding must say. */
export interface ExpectedFinding {
  readonly ddi: string;
  readonly irql: number;
  /** The exact report arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Fragments the message must contain (strings) or match (RegExps). */
  readonly message: readonly (string | RegExp)[];
  /** Default 'TestDriver'. */
  readonly driver?: string | null;
  /** Default 'TestAdapter'. */
  readonly adapter?: string | null;
  /** True if the finding must carry the (captured) allocation site of the resource concerned. */
  readonly allocationSite: boolean;
  /** The running callback; default 'MiniportTest' (the harness's). */
  readonly callback?: string | null;
}

/** The one finding of `rule` so far (fails if there is not exactly one). */
export function theFinding(s: Sim, rule: string): Violation {
  const found = s.findings(rule);
  expect(
    found.map((v) => v.message),
    `findings of ${rule}`,
  ).toHaveLength(1);
  return found[0];
}

/** Asserts every documented field of a finding. */
export function expectFinding(v: Violation, rule: string, expected: ExpectedFinding): void {
  const def = findRule(rule);
  expect(def, `rule ${rule} is in the catalogue`).toBeDefined();
  expect(v.rule).toBe(rule);
  expect(v.title).toBe(def?.title);
  expect(v.severity).toBe(def?.severity);
  expect(v.link).toBe(def?.link);
  expect(v.link).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  expect(v.ddi).toBe(expected.ddi);
  expect(v.irql).toBe(expected.irql);
  expect(v.context.irql).toBe(expected.irql);
  expect(v.context.callback).toBe(expected.callback === undefined ? 'MiniportTest' : expected.callback);
  expect(v.args).toEqual(expected.args);
  expect(v.driver).toBe(expected.driver === undefined ? 'TestDriver' : expected.driver);
  expect(v.adapter).toBe(expected.adapter === undefined ? 'TestAdapter' : expected.adapter);
  expect(v.message.length).toBeGreaterThan(20);
  for (const fragment of expected.message) {
    if (typeof fragment === 'string') expect(v.message).toContain(fragment);
    else expect(v.message).toMatch(fragment);
  }
  if (expected.allocationSite) {
    expect(v.allocationSite.length, 'allocation site captured').toBeGreaterThan(0);
    expect(v.allocationSite.join('\n')).toContain('.test.ts');
  } else {
    expect(v.allocationSite).toEqual([]);
  }
  expect(v.site.join('\n'), 'call site names the driver (test) code').toContain('.test.ts');
  expect(Object.isFrozen(v)).toBe(true);
  expect(Object.isFrozen(v.args)).toBe(true);
}

/** Asserts that `rule` found nothing. */
export function expectNoFinding(s: Sim, rule: string): void {
  expect(
    s.findings(rule).map((v) => v.message),
    `findings of ${rule}`,
  ).toEqual([]);
}

/** Runs `fn` and returns the BugCheck it must throw. */
export function catchBugCheck(fn: () => unknown): BugCheck {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'a BugCheck is thrown').toBeInstanceOf(BugCheck);
  return thrown as BugCheck;
}

/** The plain numbers of an Accounting. */
export function counts(a: Accounting | undefined): Record<string, number> | undefined {
  if (a === undefined) return undefined;
  return {
    liveCount: a.liveCount,
    liveBytes: a.liveBytes,
    highCount: a.highCount,
    highBytes: a.highBytes,
    allocations: a.allocations,
    frees: a.frees,
  };
}

/** Live pool blocks and bytes of the whole run. */
export function live(engine: Engine): { count: number; bytes: number } {
  return { count: engine.memory.total.liveCount, bytes: engine.memory.total.liveBytes };
}

/** True if a live pool block starts at `address`. */
export function isLive(engine: Engine, address: number): boolean {
  return engine.virtual.get(address) !== undefined;
}
