import { describe, expect, it } from 'vitest';
import { readUInt8, writeBytes, writeUInt8, writeUInt32LE } from '../../src/ndis/access.js';
import { NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { checkTrace } from '../../src/trace/replay.js';
import { type DmaSim, dmaSim } from './dma-helpers.js';
import { catchBugCheck, expectFinding, expectNoFinding, hex, theFinding } from './helpers.js';

const RULE = 'NDIS_BUGCHECK_SHARED_MEM_CORRUPTION';

function overrun(s: DmaSim): { VirtualAddress: number; PhysicalAddress: number } {
  s.registerSg();
  const block = s.allocate(100);
  writeUInt32LE(block.VirtualAddress + 100, 0x11223344); // 4 bytes past Length, inside the page
  return block;
}

describe('NDIS_BUGCHECK_SHARED_MEM_CORRUPTION', () => {
  it('breaks: a write past Length is found at the next NdisMAllocateSharedMemory, once', () => {
    const s = dmaSim();
    const block = overrun(s);
    expect(s.engine.violations).toEqual([]); // the write itself lands in the guard bytes, as on NDIS
    s.allocate(64);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisMAllocateSharedMemory',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        Length: 100,
        Cached: 'TRUE',
        VirtualAddress: hex(block.VirtualAddress),
        PhysicalAddress: hex(block.PhysicalAddress),
      },
      message: [
        '100-byte shared memory block',
        'written past its end',
        '0 bytes past Length',
        'found by NdisMAllocateSharedMemory',
      ],
      allocationSite: true,
      callback: 'MiniportInitializeEx',
    });
    expect(v.bugCheck?.parameters).toEqual([
      0x02,
      s.engine.lifecycle.serialOf(s.adapter),
      block.VirtualAddress,
      0,
    ]);
    s.allocate(64);
    expect(s.findings(RULE)).toHaveLength(1);
  });

  it('breaks: found at NdisMFreeSharedMemory of the overwritten block (a page-multiple Length has a guard page)', () => {
    const s = dmaSim();
    s.registerSg();
    const block = s.allocate(4096);
    writeUInt8(block.VirtualAddress + 5000, 0);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 4096, true, block.VirtualAddress, block.PhysicalAddress));
    const v = theFinding(s, RULE);
    expect(v.message).toContain('found by NdisMFreeSharedMemory');
    expect(v.bugCheck?.parameters[2]).toBe(block.VirtualAddress + 4096);
  });

  it('breaks: under the bug-check policy the run stops with 0x7C / 0x02', () => {
    const s = dmaSim({ policy: 'bugcheck' });
    const block = overrun(s);
    const stop = catchBugCheck(() => s.allocate(64));
    expect(stop.info).toEqual({
      code: 0x7c,
      name: 'BUGCODE_NDIS_DRIVER',
      parameters: [0x02, s.engine.lifecycle.serialOf(s.adapter), block.VirtualAddress, 0],
    });
  });

  it('keeps: writes within Length, and reads of the guard bytes', () => {
    const s = dmaSim();
    s.registerSg();
    const block = s.allocate(100);
    writeBytes(block.VirtualAddress, new Uint8Array(100).fill(7));
    expect(readUInt8(block.VirtualAddress + 100)).toBe(0xa5);
    s.allocate(64);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 100, true, block.VirtualAddress, block.PhysicalAddress));
    expectNoFinding(s, RULE);
  });

  it('breaks: a block written past Length after an earlier clean check is found at the next NdisMAllocateSharedMemory', () => {
    const s = dmaSim();
    s.registerSg();
    const first = s.allocate(100);
    const second = s.allocate(200); // checks the first block: clean
    writeUInt8(first.VirtualAddress + 50, 1); // within Length: nothing to check
    s.allocate(64);
    expect(s.findings(RULE)).toHaveLength(0);
    writeUInt8(second.VirtualAddress + 300, 0); // past Length now
    s.allocate(64);
    expect(theFinding(s, RULE).args.VirtualAddress).toBe(hex(second.VirtualAddress));
    expect(s.engine.dma.peek(s.adapter)?.dirty.size).toBe(0);
  });

  it('breaks: replayed, a write into the guard bytes is found at the next NdisMAllocateSharedMemory, as in a live run', async () => {
    const D = '0xffffc60a10000000';
    const A = '0xffffc60a20000000';
    const line = (v: Record<string, unknown>) => JSON.stringify(v);
    const allocate = (va: string, pa: string) =>
      line({
        kind: 'call',
        ddi: 'NdisMAllocateSharedMemory',
        irql: 0,
        args: { MiniportAdapterHandle: A, Length: 100, Cached: 1 },
        result: { VirtualAddress: va, PhysicalAddress: pa },
      });
    const lines = [
      '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8}',
      line({ kind: 'enter', callback: 'MiniportInitializeEx', driver: D, adapter: A, irql: 0 }),
      line({
        kind: 'call',
        ddi: 'NdisMRegisterScatterGatherDma',
        irql: 0,
        args: {
          MiniportAdapterHandle: A,
          DmaDescription: {
            Header: { Type: 131, Revision: 1, Size: 36 },
            Flags: 0,
            MaximumPhysicalMapping: 65536,
            ProcessSGListHandler: '0xfffff80112340000',
            SharedMemAllocateCompleteHandler: '0x0',
          },
        },
        result: { NdisMiniportDmaHandle: '0xffffc60a30000000', ScatterGatherListSize: 424 },
        status: '0x0',
      }),
      allocate('0xffffc60a41000000', '0x12a400000'),
      line({ kind: 'access', address: '0xffffc60a41000064', size: 4, write: true }),
      allocate('0xffffc60a41100000', '0x12a500000'),
      line({ kind: 'exit', callback: 'MiniportInitializeEx', status: '0x0' }),
    ];
    const r = await checkTrace([Buffer.from(`${lines.join('\n')}\n`)], { file: 'trace.jsonl' });
    expect(r.errors.map(String)).toEqual([]);
    const found = r.violations.filter((v) => v.rule === RULE);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('found by NdisMAllocateSharedMemory');
    expect(found[0].args.VirtualAddress).toBe('0xffffc60a41000000');
  });
});
