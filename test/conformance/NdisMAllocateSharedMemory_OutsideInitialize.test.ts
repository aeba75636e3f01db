import { describe, expect, it } from 'vitest';
import { NdisMAllocateSharedMemory } from '../../src/ndis/dma.js';
import { dmaSim } from './dma-helpers.js';
import { expectFinding, expectNoFinding, theFinding } from './helpers.js';

const RULE = 'NdisMAllocateSharedMemory_OutsideInitialize';

describe('NdisMAllocateSharedMemory_OutsideInitialize', () => {
  it('breaks: NdisMAllocateSharedMemory from MiniportRestart is recorded; the allocation proceeds (D3)', () => {
    const s = dmaSim();
    s.registerSg();
    const result = s.at(0, () => NdisMAllocateSharedMemory(s.adapter, 2048, false), 'MiniportRestart');
    expect(result.VirtualAddress).not.toBe(0);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMAllocateSharedMemory',
      irql: 0,
      args: { MiniportAdapterHandle: 'TestAdapter', Length: 2048, Cached: 'FALSE' },
      message: ['outside MiniportInitializeEx', 'NdisMAllocateSharedMemoryAsyncEx', 'proceeds'],
      allocationSite: false,
      callback: 'MiniportRestart',
    });
  });

  it('keeps: NdisMAllocateSharedMemory inside MiniportInitializeEx', () => {
    const s = dmaSim();
    s.registerSg();
    s.allocate(2048);
    expectNoFinding(s, RULE);
  });
});
