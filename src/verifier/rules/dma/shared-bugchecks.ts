/**
 * The shared-memory misuses NDIS itself stops with bug check 0x7C BUGCODE_NDIS_DRIVER (SPEC §9.3):
 * 0x01 NdisMAllocateSharedMemory at raised IRQL (D4: any IRQL above PASSIVE), 0x02 overwritten
 * guard bytes of an earlier block, 0x03 a free of memory that is not live shared memory (D8 c, d).
 * Parameter 2 (the miniport block) is the adapter's serial number (engine.lifecycle.serialOf), or 0.
 */
import { formatAddress } from '../../../machine/address.js';
import { FreeOutcome } from '../../events/pool.js';
import { DEBUGGER, rule } from '../../rule.js';
import { adapterId, allocateArgs, allocatingDdi, freeArgs, memoryArgs, pageOf } from './args.js';

const PAGE = `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`;
const NAME = 'BUGCODE_NDIS_DRIVER';

export const NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL = rule({
  id: 'NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL',
  title: 'NdisMAllocateSharedMemory is called at PASSIVE_LEVEL, never at raised IRQL.',
  link: PAGE,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: 0x01, name: NAME },
  observe: {
    sharedAllocate(v, e) {
      if (e.ddi !== 'NdisMAllocateSharedMemory' || e.irql === 0) return;
      v.report(
        NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL,
        `${e.ddi} called at IRQL ${e.irql}; it requires PASSIVE_LEVEL (NDIS stops with bug check 0x7C / 0x01, D4). The allocation proceeds.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          owner: e.owner,
          parameters: [adapterId(e.owner), typeof e.Length === 'number' ? e.Length : 0, e.irql],
        },
      );
    },
  },
});

export const NDIS_BUGCHECK_SHARED_MEM_CORRUPTION = rule({
  id: 'NDIS_BUGCHECK_SHARED_MEM_CORRUPTION',
  title: 'Writes to shared memory stay within the Length allocated (the rest of the last page is guarded).',
  link: PAGE,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: 0x02, name: NAME },
  observe: {
    sharedCorruption(v, e) {
      const m = e.memory;
      const at = m.base + e.offset;
      v.report(
        NDIS_BUGCHECK_SHARED_MEM_CORRUPTION,
        `The ${m.length}-byte shared memory block at ${formatAddress(m.base)} was written past its end: the guard byte at ${formatAddress(at)} (${e.offset - m.length} bytes past Length) was overwritten; found by ${e.ddi}.`,
        {
          ddi: allocatingDdi(m),
          args: memoryArgs(m),
          owner: m.owner,
          allocationSite: m.site,
          parameters: [adapterId(m.owner), pageOf(at), 0],
        },
      );
    },
  },
});

export const NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM = rule({
  id: 'NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM',
  title:
    'NdisMFreeSharedMemory frees only live shared memory: never twice, never memory that is not shared memory.',
  link: PAGE,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: 0x03, name: NAME },
  observe: {
    sharedFree(v, e) {
      if (e.outcome !== FreeOutcome.Double && e.outcome !== FreeOutcome.Unknown) return;
      const address = typeof e.VirtualAddress === 'number' ? e.VirtualAddress : 0;
      const what =
        e.outcome === FreeOutcome.Double
          ? 'memory that was already freed'
          : address === 0
            ? 'NULL'
            : 'an address that is not NDIS shared memory';
      const owner = e.memory?.owner ?? e.owner;
      v.report(NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM, `${e.ddi} frees ${what}; nothing is freed (D8).`, {
        ddi: e.ddi,
        args: freeArgs(e),
        owner,
        allocationSite: e.memory?.site,
        parameters: [adapterId(owner), pageOf(address), address],
      });
    },
  },
});
