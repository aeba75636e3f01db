/** Pool_FreeUnknownAddress: only an address the allocator returned is freed (SPEC §3.2, §9.4 0xC4 / 0x10). */
import { describe, expect, it } from 'vitest';
import { KERNEL_VA_BASE } from '../../src/machine/virtual.js';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTag,
  NdisFreeMemoryWithTagPriority,
} from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  counts,
  expectFinding,
  expectNoFinding,
  hex,
  live,
  NormalPoolPriority,
  PASSIVE_LEVEL,
  TAG,
  TAG_TEXT,
  theFinding,
} from './helpers.js';

const RULE = 'Pool_FreeUnknownAddress';
/** A kernel-looking address in a size class nothing was allocated from. */
const MADE_UP_KERNEL = KERNEL_VA_BASE + 9 * 2 ** 41 + 0x1230;

describe('Pool_FreeUnknownAddress', () => {
  it('breaks: NdisFreeMemory(NULL) is recorded; nothing is freed', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(0, 0, 0));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemory',
      irql: PASSIVE_LEVEL,
      args: { VirtualAddress: '0x0', Length: 0, MemoryFlags: 0 },
      message: ['frees NULL', 'nothing is freed'],
      allocationSite: false,
    });
    expect(v.bugCheck?.parameters).toEqual([0x10, 0, 0, 0]);
    expect(live(s.engine)).toEqual({ count: 1, bytes: 64 });
    expect(s.engine.virtual.get(p)).toBeDefined();
    expect(counts(s.adapter.pool)).toMatchObject({ liveCount: 1, frees: 0 });
  });

  it.each([
    ['a user-mode-looking number', 0x12345678],
    ['a kernel-looking address never handed out', MADE_UP_KERNEL],
  ])('breaks: freeing %s is recorded with the address as hex; nothing is freed', (_what, address) => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority));
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTagPriority(s.adapter, address, TAG));
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeMemoryWithTagPriority',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', VirtualAddress: hex(address), Tag: TAG_TEXT },
      message: ['never allocated', 'nothing is freed'],
      allocationSite: false,
    });
    expect(v.args.VirtualAddress).toMatch(/^0x[0-9a-f]+$/);
    expect(v.bugCheck?.parameters).toEqual([0x10, address, 0, 0]);
    expect(live(s.engine)).toEqual({ count: 1, bytes: 64 });
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
  });

  it('breaks: NdisFreeMemoryWithTag of a made-up address; no deprecation note since nothing was freed', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisFreeMemoryWithTag(MADE_UP_KERNEL, TAG));
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeMemoryWithTag',
      irql: PASSIVE_LEVEL,
      args: { VirtualAddress: '0xffffb20000001230', Tag: TAG_TEXT },
      message: ['never allocated'],
      allocationSite: false,
    });
    expect(s.engine.violations.map((x) => x.rule)).toEqual([RULE]);
  });

  it('breaks: under the bugcheck policy NULL stops with 0xC4 / 0x10 (address 0)', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => NdisFreeMemory(0, 0, 0)));
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.name).toBe('DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(e.info?.parameters).toEqual([0x10, 0, 0, 0]);
    expect(e.violation.rule).toBe(RULE);
  });

  it('breaks: under the bugcheck policy a made-up address stops with 0xC4 / 0x10 (the address)', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => NdisFreeMemory(MADE_UP_KERNEL, 0, 0)));
    expect(e.info?.code).toBe(0xc4);
    expect(e.info?.parameters).toEqual([0x10, MADE_UP_KERNEL, 0, 0]);
  });

  it('breaks: the BugCheck message prints a kernel address parameter as unsigned 64-bit hex', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => NdisFreeMemory(MADE_UP_KERNEL, 0, 0)));
    expect(e.message).toContain(hex(MADE_UP_KERNEL));
    expect(e.message).not.toContain('0x-');
  });

  it('keeps: freeing the base address the allocator returned', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => NdisFreeMemory(p, 0, 0));
    expectNoFinding(s, RULE);
    expect(live(s.engine)).toEqual({ count: 0, bytes: 0 });
  });
});
