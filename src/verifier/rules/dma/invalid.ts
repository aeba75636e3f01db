/**
 * Bad handles and arguments of the DMA and shared-memory DDIs. They are reported by the generic
 * Ndis_InvalidHandle and Ddi_InvalidArgument rules (docs/decisions.md, "Invalid handles and
 * arguments"), which register these observers. Each call then fails the documented way or does
 * nothing; never a TypeError. A malformed NDIS_SG_DMA_DESCRIPTION header has its own rule (D17:
 * NDIS_STATUS_BAD_VERSION; 0x7C / 0x21 names malformed object headers).
 */
import { DeregisterOutcome, DmaProblem } from '../../events/dma.js';
import { describeHandle } from '../../format.js';
import { DEBUGGER, type Observers, type RuleDef, rule } from '../../rule.js';
import { adapterId, allocateArgs, deregisterArgs, errorLogArgs, freeArgs, registerArgs } from './args.js';

const FAILS: Record<string, string> = {
  NdisMRegisterScatterGatherDma: 'it returns NDIS_STATUS_NOT_SUPPORTED',
  NdisMRegisterDmaChannel: 'it returns NDIS_STATUS_FAILURE',
  NdisMAllocateSharedMemory: 'it returns NULL',
  NdisMAllocateSharedMemoryAsyncEx: 'it returns NDIS_STATUS_FAILURE',
  NdisWriteErrorLogEntry: 'nothing is logged',
};

/** Observers of the DMA events that report bad handles under `self()` (Ndis_InvalidHandle). */
export function dmaHandleObservers(self: () => RuleDef): Observers {
  return {
    dmaRegister(v, e) {
      if (e.problem !== DmaProblem.InvalidHandle) return;
      v.report(
        self(),
        `${e.ddi} called with MiniportAdapterHandle ${String(describeHandle(e.MiniportAdapterHandle))}, which is not a live miniport adapter handle; ${FAILS[e.ddi]}.`,
        { ddi: e.ddi, args: registerArgs(e) },
      );
    },
    dmaDeregister(v, e) {
      if (e.outcome === DeregisterOutcome.Ok) return;
      const what =
        e.outcome === DeregisterOutcome.Stale
          ? 'a handle that was already deregistered'
          : `${String(describeHandle(e.handle))}, which is not a handle from ${e.ddi === 'NdisMDeregisterDmaChannel' ? 'NdisMRegisterDmaChannel' : 'NdisMRegisterScatterGatherDma'}`;
      v.report(self(), `${e.ddi} called with ${what}; nothing is released.`, {
        ddi: e.ddi,
        args: deregisterArgs(e),
        owner: e.registration?.adapter ?? null,
        allocationSite: e.registration?.site,
      });
    },
    sharedAllocate(v, e) {
      if (e.problem !== DmaProblem.InvalidHandle) return;
      const kind = e.ddi === 'NdisMAllocateSharedMemory' ? 'miniport adapter handle' : 'DMA handle';
      v.report(
        self(),
        `${e.ddi} called with ${String(describeHandle(e.handle))}, which is not a live ${kind}; ${FAILS[e.ddi]}.`,
        { ddi: e.ddi, args: allocateArgs(e) },
      );
    },
    sharedFree(v, e) {
      if (e.owner !== null) return;
      v.report(
        self(),
        `${e.ddi} called with MiniportAdapterHandle ${String(describeHandle(e.MiniportAdapterHandle))}, which is not a live miniport adapter handle; the memory is looked up by VirtualAddress.`,
        { ddi: e.ddi, args: freeArgs(e), owner: e.memory?.owner ?? null, allocationSite: e.memory?.site },
      );
    },
    errorLog(v, e) {
      if (e.problem !== DmaProblem.InvalidHandle) return;
      v.report(
        self(),
        `${e.ddi} called with NdisAdapterHandle ${String(describeHandle(e.NdisAdapterHandle))}, which is not a live miniport adapter handle; ${FAILS[e.ddi]}.`,
        { ddi: e.ddi, args: errorLogArgs(e) },
      );
    },
  };
}

/** Observers of the DMA events that report bad arguments under `self()` (Ddi_InvalidArgument). */
export function dmaArgumentObservers(self: () => RuleDef): Observers {
  return {
    dmaRegister(v, e) {
      if (e.problem !== DmaProblem.InvalidArgument) return;
      const status = e.ddi === 'NdisMRegisterDmaChannel' ? 'NDIS_STATUS_FAILURE' : 'NDIS_STATUS_BAD_VERSION';
      v.report(self(), `${e.ddi}: ${e.field} is not valid; it returns ${status}.`, {
        ddi: e.ddi,
        args: registerArgs(e),
        owner: e.owner,
      });
    },
    sharedAllocate(v, e) {
      if (e.problem !== DmaProblem.InvalidArgument) return;
      const why = e.field === 'Length' ? 'Length is not a ULONG above 0' : `${e.field} is not a BOOLEAN`;
      v.report(self(), `${e.ddi}: ${why}; ${FAILS[e.ddi]}.`, {
        ddi: e.ddi,
        args: allocateArgs(e),
        owner: e.owner,
      });
    },
    errorLog(v, e) {
      if (e.problem !== DmaProblem.InvalidArgument) return;
      const why =
        e.field === 'NumberOfErrorValues'
          ? 'NumberOfErrorValues is not the number of error values passed'
          : `${e.field} is not a ULONG`;
      v.report(self(), `${e.ddi}: ${why}; the entry is logged.`, {
        ddi: e.ddi,
        args: errorLogArgs(e),
        owner: e.owner,
      });
    },
  };
}

export const NdisMRegisterScatterGatherDma_Header = rule({
  id: 'NdisMRegisterScatterGatherDma_Header',
  title:
    'NDIS_SG_DMA_DESCRIPTION.Header has Type NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION, a supported Revision and a Size of at least that revision.',
  link: `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: 0x21, name: 'BUGCODE_NDIS_DRIVER' },
  observe: {
    dmaRegister(v, e) {
      if (e.problem !== DmaProblem.BadHeader) return;
      v.report(
        NdisMRegisterScatterGatherDma_Header,
        `${e.ddi}: DmaDescription.${e.field} is not valid (Type 0x83, Revision 1 or 2, Size >= 36 or 48, D17); it returns NDIS_STATUS_BAD_VERSION.`,
        {
          ddi: e.ddi,
          args: registerArgs(e),
          owner: e.owner,
          // 0x7C / 0x21: P2 the driver handle, P3 the object (no address in the simulation).
          parameters: [adapterId(e.owner?.driver ?? null), 0, 0],
        },
      );
    },
  },
});
