/**
 * Memory_UseAfterFree / Memory_Overrun / Memory_InvalidAccess: the driver reads and writes only live
 * memory, within the bytes it allocated. Special pool and DMA verification catch these on real
 * Windows; here every access is checked.
 */
import { formatAddress } from '../../machine/address.js';
import type { MemoryAccessEvent } from '../events.js';
import { DEVTEST, type RuleDef, rule } from '../rule.js';
import type { Verifier } from '../verifier.js';

function args(e: MemoryAccessEvent): Record<string, unknown> {
  return { Address: formatAddress(e.address), Length: e.size, Access: e.write ? 'write' : 'read' };
}

function on(
  self: () => RuleDef,
  outcome: MemoryAccessEvent['outcome'],
  say: (e: MemoryAccessEvent) => string,
) {
  return (v: Verifier, e: MemoryAccessEvent) => {
    if (e.outcome !== outcome) return;
    v.report(self(), say(e), {
      ddi: e.ddi,
      args: args(e),
      allocationSite: (e.region?.site as never) ?? null,
      // PAGE_FAULT_IN_NONPAGED_AREA: P1 the address, P2 0 read / 1 write.
      bugCheck:
        outcome === 'unmapped'
          ? { code: 0x50, p1: e.address, name: 'PAGE_FAULT_IN_NONPAGED_AREA' }
          : undefined,
      parameters: [e.write ? 1 : 0, 0, 0],
    });
  };
}

export const Memory_UseAfterFree: RuleDef = rule({
  id: 'Memory_UseAfterFree',
  title: 'Memory is not read or written after it is freed.',
  link: `${DEVTEST}special-pool`,
  severity: 'error',
  observe: {
    memoryAccess: on(
      () => Memory_UseAfterFree,
      'freed',
      (e) =>
        `${e.write ? 'Write of' : 'Read of'} ${e.size} bytes at ${formatAddress(e.address)}, in memory that was freed; ${e.write ? 'the write is dropped' : 'the read returns zeros'}.`,
    ),
  },
});

export const Memory_Overrun: RuleDef = rule({
  id: 'Memory_Overrun',
  title: 'Reads and writes stay within the bytes that were allocated.',
  link: `${DEVTEST}special-pool`,
  severity: 'error',
  observe: {
    memoryAccess: on(
      () => Memory_Overrun,
      'overrun',
      (e) =>
        `${e.write ? 'Write of' : 'Read of'} ${e.size} bytes at ${formatAddress(e.address)} runs past the end of the ${e.region?.length}-byte allocation at ${formatAddress(e.region?.base ?? 0)}; ${e.write ? 'the write is dropped' : 'the read returns zeros'}.`,
    ),
  },
});

export const Memory_InvalidAccess: RuleDef = rule({
  id: 'Memory_InvalidAccess',
  title: 'The driver dereferences only addresses that were allocated (never NULL).',
  link: `${DEVTEST}special-pool`,
  severity: 'error',
  bugCheck: { code: 0x50, p1: 0, name: 'PAGE_FAULT_IN_NONPAGED_AREA' },
  observe: {
    memoryAccess: on(
      () => Memory_InvalidAccess,
      'unmapped',
      (e) =>
        `${e.write ? 'Write to' : 'Read of'} ${e.address === 0 ? 'NULL' : formatAddress(e.address)}, where nothing was ever allocated: a page fault stops the driver.`,
    ),
  },
});
