import { describe, expect, it } from 'vitest';
import { NdisMFreeSharedMemory } from '../../src/ndis/dma.js';
import { dmaSim, setAttributes } from './dma-helpers.js';
import { expectFinding, expectNoFinding, hex, theFinding } from './helpers.js';

const RULE = 'NdisMFreeSharedMemory_ParameterMismatch';

describe('NdisMFreeSharedMemory_ParameterMismatch', () => {
  it('breaks: Length, Cached and PhysicalAddress differ from the allocation; the block is freed (D8 a)', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(300, true);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 4096, false, VirtualAddress, PhysicalAddress + 8));
    expect(s.engine.virtual.get(VirtualAddress)).toBeUndefined();
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMFreeSharedMemory',
      irql: 0,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        Length: 4096,
        Cached: 'FALSE',
        VirtualAddress: hex(VirtualAddress),
        PhysicalAddress: hex(PhysicalAddress + 8),
      },
      message: [
        'Length 4096 (allocated 300)',
        'Cached FALSE (allocated TRUE)',
        `PhysicalAddress ${hex(PhysicalAddress + 8)} (returned ${hex(PhysicalAddress)})`,
        'The block is freed',
      ],
      allocationSite: true,
      callback: 'MiniportHaltEx',
    });
  });

  it('breaks: another adapter frees the block', () => {
    const s = dmaSim();
    s.registerSg();
    const other = s.engine.createAdapter(s.driver, 'OtherAdapter');
    setAttributes(other, true);
    const { VirtualAddress, PhysicalAddress } = s.allocate(300, true);
    s.halt(() => NdisMFreeSharedMemory(other, 300, true, VirtualAddress, PhysicalAddress));
    const v = theFinding(s, RULE);
    expect(v.message).toContain('MiniportAdapterHandle OtherAdapter (allocated by TestAdapter)');
    expect(v.adapter).toBe('TestAdapter');
  });

  it('keeps: exactly the allocation parameters (0/1 for a BOOLEAN is as good as FALSE/TRUE)', () => {
    const s = dmaSim();
    s.registerSg();
    const { VirtualAddress, PhysicalAddress } = s.allocate(300, true);
    s.halt(() => NdisMFreeSharedMemory(s.adapter, 300, 1 as never, VirtualAddress, PhysicalAddress));
    expectNoFinding(s, RULE);
  });
});
