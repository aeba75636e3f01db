import { describe, expect, it } from 'vitest';
import { NdisMAllocateSharedMemory } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import {
  APC_LEVEL,
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  theFinding,
} from './helpers.js';

const RULE = 'NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL';

describe('NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL', () => {
  it('breaks: NdisMAllocateSharedMemory at DISPATCH_LEVEL is recorded and the allocation proceeds (D4)', () => {
    const s = dmaSim();
    s.registerSg();
    const result = s.at(
      DISPATCH_LEVEL,
      () => NdisMAllocateSharedMemory(s.adapter, 512, true),
      'MiniportInitializeEx',
    );
    expect(result.VirtualAddress).not.toBe(0);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisMAllocateSharedMemory',
      irql: DISPATCH_LEVEL,
      args: { MiniportAdapterHandle: 'TestAdapter', Length: 512, Cached: 'TRUE' },
      message: ['IRQL 2', 'PASSIVE_LEVEL', '0x7C / 0x01'],
      allocationSite: false,
      callback: 'MiniportInitializeEx',
    });
    expect(v.bugCheck).toEqual({
      code: 0x7c,
      name: 'BUGCODE_NDIS_DRIVER',
      parameters: [0x01, s.engine.lifecycle.serialOf(s.adapter), 512, DISPATCH_LEVEL],
    });
  });

  it('breaks: any raised IRQL, APC_LEVEL included (D4)', () => {
    const s = dmaSim();
    s.registerSg();
    s.at(APC_LEVEL, () => NdisMAllocateSharedMemory(s.adapter, 64, false), 'MiniportInitializeEx');
    expect(theFinding(s, RULE).irql).toBe(APC_LEVEL);
  });

  it('breaks: under the bug-check policy the run stops with 0x7C (0x01, adapter, length, IRQL)', () => {
    const s = dmaSim({ policy: 'bugcheck' });
    s.registerSg();
    const stop = catchBugCheck(() =>
      s.at(DISPATCH_LEVEL, () => NdisMAllocateSharedMemory(s.adapter, 4096, true), 'MiniportInitializeEx'),
    );
    expect(stop.info).toEqual({
      code: 0x7c,
      name: 'BUGCODE_NDIS_DRIVER',
      parameters: [0x01, s.engine.lifecycle.serialOf(s.adapter), 4096, 2],
    });
    expect(s.engine.dma.shared.total.liveCount).toBe(0);
  });

  it('keeps: NdisMAllocateSharedMemory at PASSIVE_LEVEL', () => {
    const s = dmaSim();
    s.registerSg();
    s.allocate(64);
    expectNoFinding(s, RULE);
  });
});
