/**
 * The NdisFreeSharedMemory rules (SPEC §6.7, D21): ProviderSharedMemory_FreeUnknownHandle — the
 * AllocationHandle is one NdisAllocateSharedMemory returned; ProviderSharedMemory_DoubleFree — it is
 * freed once; ProviderSharedMemory_FreeHandleMismatch — with the NdisHandle it was allocated with.
 * An unknown or already-freed handle is recorded and ignored; a mismatched NdisHandle still frees.
 */
import { FreeOutcome } from '../../events/pool.js';
import { DDI, rule } from '../../rule.js';
import { freeArgs, handleText } from './args.js';

const LINK = `${DDI}ndis/nf-ndis-ndisfreesharedmemory`;

export const ProviderSharedMemory_FreeUnknownHandle = rule({
  id: 'ProviderSharedMemory_FreeUnknownHandle',
  title: 'NdisFreeSharedMemory gets an AllocationHandle that NdisAllocateSharedMemory returned (D21).',
  link: LINK,
  severity: 'error',
  observe: {
    providerFree(v, e) {
      if (e.outcome !== FreeOutcome.Unknown) return;
      if (e.sharedMemoryHandle) {
        const of = (e.AllocationHandle as { allocation: { owner: never; site: never; name: string } })
          .allocation;
        v.report(
          ProviderSharedMemory_FreeUnknownHandle,
          `NdisFreeSharedMemory called with the SharedMemoryHandle of ${of.name} as AllocationHandle; it takes the AllocationHandle NdisAllocateSharedMemory returned. Nothing is freed (D21).`,
          { ddi: e.ddi, args: freeArgs(e), owner: of.owner, allocationSite: of.site },
        );
        return;
      }
      v.report(
        ProviderSharedMemory_FreeUnknownHandle,
        `NdisFreeSharedMemory called with AllocationHandle ${handleText(e.AllocationHandle)}, which NdisAllocateSharedMemory never returned; nothing is freed (D21).`,
        { ddi: e.ddi, args: freeArgs(e) },
      );
    },
  },
});

export const ProviderSharedMemory_DoubleFree = rule({
  id: 'ProviderSharedMemory_DoubleFree',
  title: 'Shared memory from NdisAllocateSharedMemory is freed exactly once (D21).',
  link: LINK,
  severity: 'error',
  observe: {
    providerFree(v, e) {
      if (e.outcome !== FreeOutcome.Double || e.allocation === null) return;
      const block = e.allocation;
      const when = block.reclaimed
        ? 'that NDIS reclaimed after reporting it leaked'
        : 'that was already freed';
      v.report(
        ProviderSharedMemory_DoubleFree,
        `NdisFreeSharedMemory called with AllocationHandle ${block.name} (${block.length} bytes) ${when}; nothing is freed (D21).`,
        { ddi: e.ddi, args: freeArgs(e), owner: block.owner, allocationSite: block.site },
      );
    },
  },
});

export const ProviderSharedMemory_FreeHandleMismatch = rule({
  id: 'ProviderSharedMemory_FreeHandleMismatch',
  title:
    'NdisFreeSharedMemory gets the same NdisHandle that NdisAllocateSharedMemory was given for the block.',
  link: LINK,
  severity: 'error',
  observe: {
    providerFree(v, e) {
      if (!e.handleMismatch || e.allocation === null) return;
      const block = e.allocation;
      v.report(
        ProviderSharedMemory_FreeHandleMismatch,
        `NdisFreeSharedMemory called with NdisHandle ${handleText(e.NdisHandle)}, but ${block.name} was allocated with ${handleText(block.handle)}; the memory is still freed.`,
        { ddi: e.ddi, args: freeArgs(e), owner: block.owner, allocationSite: block.site },
      );
    },
  },
});
