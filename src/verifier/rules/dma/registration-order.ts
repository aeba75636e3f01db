/**
 * Where and when DMA is registered (SPEC §4.1, §4.3, D37, D38): only from MiniportInitializeEx,
 * only after NdisMSetMiniportAttributes, and one scatter-gather registration per adapter. None has a
 * status of its own except the second registration (NOT_SUPPORTED); the others keep the call's outcome.
 */
import { DmaProblem } from '../../events/dma.js';
import { DDI, rule } from '../../rule.js';
import { allocateArgs, registerArgs } from './args.js';

export const Dma_RegisterOutsideInitialize = rule({
  id: 'Dma_RegisterOutsideInitialize',
  title:
    'NdisMRegisterScatterGatherDma and NdisMRegisterDmaChannel are called only from MiniportInitializeEx.',
  link: `${DDI}ndis/nf-ndis-ndismregisterscattergatherdma`,
  severity: 'error',
  observe: {
    dmaRegister(v, e) {
      if (e.owner === null || e.withinInitialize) return;
      v.report(
        Dma_RegisterOutsideInitialize,
        `${e.ddi} is called outside MiniportInitializeEx; DMA is registered while the adapter initializes (D37). The call proceeds.`,
        { ddi: e.ddi, args: registerArgs(e), owner: e.owner },
      );
    },
  },
});

export const Dma_RegisterBeforeAttributes = rule({
  id: 'Dma_RegisterBeforeAttributes',
  title:
    'DMA registration and shared-memory allocation come after NdisMSetMiniportAttributes set the registration attributes.',
  link: `${DDI}ndis/nf-ndis-ndismregisterdmachannel`,
  severity: 'error',
  observe: {
    dmaRegister(v, e) {
      if (e.owner === null || e.owner.registrationAttributesSet) return;
      v.report(
        Dma_RegisterBeforeAttributes,
        `${e.ddi} is called before NdisMSetMiniportAttributes set the adapter's registration attributes (D37)${e.ddi === 'NdisMRegisterScatterGatherDma' ? '; without them the adapter is no bus master and the call returns NDIS_STATUS_NOT_SUPPORTED' : ''}.`,
        { ddi: e.ddi, args: registerArgs(e), owner: e.owner },
      );
    },
    sharedAllocate(v, e) {
      if (e.ddi !== 'NdisMAllocateSharedMemory' || e.owner === null || e.owner.registrationAttributesSet)
        return;
      v.report(
        Dma_RegisterBeforeAttributes,
        `${e.ddi} is called before NdisMSetMiniportAttributes set the adapter's registration attributes (D37).`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});

export const NdisMRegisterScatterGatherDma_AlreadyRegistered = rule({
  id: 'NdisMRegisterScatterGatherDma_AlreadyRegistered',
  title: 'An adapter registers scatter-gather DMA once; a second registration before deregistering fails.',
  link: `${DDI}ndis/nf-ndis-ndismregisterscattergatherdma`,
  severity: 'error',
  observe: {
    dmaRegister(v, e) {
      if (e.problem !== DmaProblem.AlreadyRegistered) return;
      v.report(
        NdisMRegisterScatterGatherDma_AlreadyRegistered,
        `${e.ddi} is called while the adapter's scatter-gather DMA registration ${e.existing?.name ?? ''} is still live; it returns NDIS_STATUS_NOT_SUPPORTED (D38).`,
        { ddi: e.ddi, args: registerArgs(e), owner: e.owner, allocationSite: e.existing?.site },
      );
    },
  },
});
