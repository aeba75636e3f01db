/**
 * How shared memory is freed (SPEC §5.4, D8, D9): never from MiniportShutdownEx (official rule
 * NdisMFreeSharedMemory; the free still happens), with exactly the parameters of the allocation
 * (freed anyway, recorded), and never a subrange (nothing is freed).
 */
import { formatAddress } from '../../../machine/address.js';
import { FreeMismatch, type SharedFreeEvent } from '../../events/dma.js';
import { FreeOutcome } from '../../events/pool.js';
import { describeHandle } from '../../format.js';
import { DDI, DEVTEST, rule } from '../../rule.js';
import { describeBoolean, freeArgs } from './args.js';

export const NdisMFreeSharedMemory = rule({
  id: 'NdisMFreeSharedMemory',
  title: 'NdisMFreeSharedMemory is not called from MiniportShutdownEx.',
  link: `${DEVTEST}ndis-ndismfreesharedmemory`,
  severity: 'error',
  observe: {
    sharedFree(v, e) {
      if (!e.withinShutdown) return;
      v.report(
        NdisMFreeSharedMemory,
        `${e.ddi} is called from MiniportShutdownEx, which must leave shared memory alone (D9)${e.outcome === FreeOutcome.Ok ? '; the memory is freed' : ''}.`,
        { ddi: e.ddi, args: freeArgs(e), owner: e.memory?.owner ?? e.owner, allocationSite: e.memory?.site },
      );
    },
  },
});

function differences(e: SharedFreeEvent): string {
  const m = e.memory;
  if (m === null) return '';
  const out: string[] = [];
  if (e.mismatch & FreeMismatch.Length) out.push(`Length ${String(e.Length)} (allocated ${m.length})`);
  if (e.mismatch & FreeMismatch.Cached)
    out.push(`Cached ${String(describeBoolean(e.Cached))} (allocated ${String(describeBoolean(m.cached))})`);
  if (e.mismatch & FreeMismatch.PhysicalAddress)
    out.push(
      `PhysicalAddress ${typeof e.PhysicalAddress === 'number' ? formatAddress(e.PhysicalAddress) : String(e.PhysicalAddress)} (returned ${formatAddress(m.physical)})`,
    );
  if (e.mismatch & FreeMismatch.MiniportAdapterHandle)
    out.push(
      `MiniportAdapterHandle ${String(describeHandle(e.MiniportAdapterHandle))} (allocated by ${m.owner.name})`,
    );
  return out.join(', ');
}

export const NdisMFreeSharedMemory_ParameterMismatch = rule({
  id: 'NdisMFreeSharedMemory_ParameterMismatch',
  title:
    'NdisMFreeSharedMemory passes exactly the adapter, Length and Cached of the allocation and the PhysicalAddress it returned.',
  link: `${DDI}ndis/nf-ndis-ndismfreesharedmemory`,
  severity: 'error',
  observe: {
    sharedFree(v, e) {
      if (e.outcome !== FreeOutcome.Ok || e.mismatch === 0 || e.memory === null) return;
      v.report(
        NdisMFreeSharedMemory_ParameterMismatch,
        `${e.ddi} frees the block at ${formatAddress(e.memory.base)} with ${differences(e)}; the parameters must match the allocation exactly (D8). The block is freed.`,
        { ddi: e.ddi, args: freeArgs(e), owner: e.memory.owner, allocationSite: e.memory.site },
      );
    },
  },
});

export const NdisMFreeSharedMemory_Subrange = rule({
  id: 'NdisMFreeSharedMemory_Subrange',
  title: 'NdisMFreeSharedMemory frees a whole allocation from its base address, never a subrange.',
  link: `${DDI}ndis/nf-ndis-ndismfreesharedmemory`,
  severity: 'error',
  observe: {
    sharedFree(v, e) {
      if (e.outcome !== FreeOutcome.Interior || e.memory === null) return;
      const offset = (e.VirtualAddress as number) - e.memory.base;
      v.report(
        NdisMFreeSharedMemory_Subrange,
        `${e.ddi} frees an address ${offset} bytes inside the ${e.memory.length}-byte shared memory block at ${formatAddress(e.memory.base)}; a subrange cannot be freed and nothing is freed (D8).`,
        { ddi: e.ddi, args: freeArgs(e), owner: e.memory.owner, allocationSite: e.memory.site },
      );
    },
  },
});
