/** Memory_InvalidAccess: never dereference an address that was never allocated (NULL included): a page fault. */
import { describe, expect, it } from 'vitest';
import { PageFault } from '../../src/engine/access.js';
import {
  NdisEqualMemory,
  NdisFillMemory,
  NdisMoveMemory,
  readBytes,
  readUInt8,
  readUInt32LE,
  writeBytes,
  writeUInt32LE,
} from '../../src/ndis/access.js';
import { NdisAllocateMemoryWithTagPriority } from '../../src/ndis/memory.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  NormalPoolPriority,
  PAGE_FAULT_IN_NONPAGED_AREA,
  PASSIVE_LEVEL,
  TAG,
  theFinding,
} from './helpers.js';

const RULE = 'Memory_InvalidAccess';

function pageFaultOf(fn: () => unknown): PageFault {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PageFault);
  return thrown as PageFault;
}

describe('Memory_InvalidAccess', () => {
  it('breaks: a read of NULL throws PageFault and is recorded', () => {
    const s = sim();
    const fault = pageFaultOf(() => s.at(DISPATCH_LEVEL, () => readUInt32LE(0)));
    expect(fault.name).toBe('PageFault');
    expect(fault.address).toBe(0);
    expect(fault.write).toBe(false);
    expect(fault.message).toContain('NULL');
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'readUInt32LE',
      irql: DISPATCH_LEVEL,
      args: { Address: '0x0', Length: 4, Access: 'read' },
      message: ['Read of NULL', 'page fault'],
      allocationSite: false,
    });
    expect(v.bugCheck).toEqual({ code: 0x50, name: 'PAGE_FAULT_IN_NONPAGED_AREA', parameters: [0, 0, 0, 0] });
    // The context is restored after the fault unwinds the callback.
    expect(s.engine.context.irql).toBe(PASSIVE_LEVEL);
  });

  it('breaks: a write to a made-up address throws PageFault (write) and is recorded with the address', () => {
    const s = sim();
    const fault = pageFaultOf(() => s.at(PASSIVE_LEVEL, () => writeUInt32LE(0x1000, 1)));
    expect(fault.address).toBe(0x1000);
    expect(fault.write).toBe(true);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'writeUInt32LE',
      irql: PASSIVE_LEVEL,
      args: { Address: '0x1000', Length: 4, Access: 'write' },
      message: ['Write to 0x1000'],
      allocationSite: false,
    });
    expect(theFinding(s, RULE).bugCheck?.parameters).toEqual([0x1000, 1, 0, 0]);
  });

  it('breaks: under the bugcheck policy a NULL read stops with 0x50 PAGE_FAULT_IN_NONPAGED_AREA (address, read)', () => {
    const s = sim({ policy: 'bugcheck' });
    const e = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => readUInt8(0)));
    expect(e.info?.code).toBe(PAGE_FAULT_IN_NONPAGED_AREA);
    expect(e.info?.name).toBe('PAGE_FAULT_IN_NONPAGED_AREA');
    expect(e.info?.parameters).toEqual([0, 0, 0, 0]);
    expect(e.violation.rule).toBe(RULE);
  });

  it('keeps: reads of live memory do not fault', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
    );
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(p))).toBe(0);
    expect(s.at(PASSIVE_LEVEL, () => readUInt8(p + 63))).toBe(0);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });

  it('breaks: the PageFault message prints the address as a debugger does (unsigned hex)', () => {
    const s = sim();
    const kernel = -0x39f5e4d3d000; // 0xffffc60a1b2c3000, never mapped in this run
    const fault = pageFaultOf(() => s.at(PASSIVE_LEVEL, () => writeUInt32LE(kernel, 1)));
    expect(fault.message).toBe('page fault: write to unmapped address 0xffffc60a1b2c3000');
    expect(pageFaultOf(() => s.at(PASSIVE_LEVEL, () => readUInt8(0x1000))).message).toBe(
      'page fault: read of unmapped address 0x1000',
    );
  });

  it.each([
    ['NaN', Number.NaN],
    ['-1', -1],
    ['1.5', 1.5],
    ['2^32', 2 ** 32],
    ['a string', '4'],
    ['undefined', undefined],
  ])(
    'keeps: a Length that is no byte count (%s) on live memory is Ddi_InvalidArgument, not a page fault',
    (_, length) => {
      const s = sim();
      const p = s.at(PASSIVE_LEVEL, () =>
        NdisAllocateMemoryWithTagPriority(s.adapter, 64, TAG, NormalPoolPriority),
      );
      const read = s.at(PASSIVE_LEVEL, () => readBytes(p, length as number));
      expect(read).toEqual(new Uint8Array(0));
      s.at(PASSIVE_LEVEL, () => NdisFillMemory(p, length as number, 7));
      expect(s.at(PASSIVE_LEVEL, () => readUInt8(p))).toBe(0);
      expectNoFinding(s, RULE);
      const findings = s.findings('Ddi_InvalidArgument');
      expect(findings.map((v) => v.ddi)).toEqual(['readBytes', 'NdisFillMemory']);
      expect(findings[0].message).toContain('Length');
      expect(findings[0].message).toContain('not a byte count');
      expect(s.engine.violations).toHaveLength(2);
    },
  );

  it('keeps: NdisMoveMemory and NdisEqualMemory with a bad Length report it once and touch nothing', () => {
    const s = sim();
    const a = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 8, TAG, NormalPoolPriority),
    );
    const b = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 8, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeUInt32LE(a, 0x01020304));
    s.at(PASSIVE_LEVEL, () => NdisMoveMemory(b, a, -4));
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(b))).toBe(0);
    expect(s.at(PASSIVE_LEVEL, () => NdisEqualMemory(a, a, Number.NaN))).toBe(false);
    expect(s.findings('Ddi_InvalidArgument').map((v) => v.ddi)).toEqual([
      'NdisMoveMemory',
      'NdisEqualMemory',
    ]);
    expect(s.engine.violations).toHaveLength(2);
  });

  it('keeps: writeBytes with a Source that is no byte array is Ddi_InvalidArgument (never a TypeError); any typed array writes its bytes', () => {
    const s = sim();
    const p = s.at(PASSIVE_LEVEL, () =>
      NdisAllocateMemoryWithTagPriority(s.adapter, 8, TAG, NormalPoolPriority),
    );
    s.at(PASSIVE_LEVEL, () => writeBytes(p, undefined as never));
    s.at(PASSIVE_LEVEL, () => writeBytes(p, [1, 2] as never));
    const findings = s.findings('Ddi_InvalidArgument');
    expect(findings.map((v) => v.ddi)).toEqual(['writeBytes', 'writeBytes']);
    expect(findings[0].message).toContain('Source');
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(p))).toBe(0);
    s.at(PASSIVE_LEVEL, () => writeBytes(p, new Uint16Array([0x0201, 0x0403]) as never));
    expect(s.at(PASSIVE_LEVEL, () => readUInt32LE(p))).toBe(0x04030201);
    expect(s.engine.violations).toHaveLength(2);
  });
});
