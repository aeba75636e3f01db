/**
 * DMA channel obligations (SPEC §4.3, §4.4, D37): NdisMDeregisterDmaChannel only from
 * MiniportInitializeEx or MiniportHaltEx, and every channel claim released by the time
 * MiniportHaltEx (or a failing MiniportInitializeEx) returns and before the driver unloads.
 */
import { DeregisterOutcome } from '../../events/dma.js';
import { DDI, rule } from '../../rule.js';
import { deregisterArgs, edgeAdapters, WHEN } from './args.js';

export const NdisMDeregisterDmaChannel_OutsideInitializeOrHalt = rule({
  id: 'NdisMDeregisterDmaChannel_OutsideInitializeOrHalt',
  title: 'NdisMDeregisterDmaChannel is called only from MiniportInitializeEx or MiniportHaltEx.',
  link: `${DDI}ndis/nf-ndis-ndismderegisterdmachannel`,
  severity: 'error',
  observe: {
    dmaDeregister(v, e) {
      if (e.ddi !== 'NdisMDeregisterDmaChannel' || e.outcome !== DeregisterOutcome.Ok) return;
      if (e.withinInitialize || e.withinHalt) return;
      v.report(
        NdisMDeregisterDmaChannel_OutsideInitializeOrHalt,
        `${e.ddi} is called outside MiniportInitializeEx and MiniportHaltEx (D37); the channel is released.`,
        { ddi: e.ddi, args: deregisterArgs(e), owner: e.registration?.adapter ?? null },
      );
    },
  },
});

export const Leak_DmaChannel = rule({
  id: 'Leak_DmaChannel',
  title:
    'A DMA channel claimed with NdisMRegisterDmaChannel is released with NdisMDeregisterDmaChannel before MiniportHaltEx or a failing MiniportInitializeEx returns.',
  link: `${DDI}ndis/nf-ndis-ndismregisterdmachannel`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      for (const adapter of edgeAdapters(e.adapter, e.driver.adapters)) {
        const state = e.engine.dma.peek(adapter);
        if (state === undefined) continue;
        for (const channel of [...state.channels]) {
          if (!v.firstReport(channel)) continue;
          v.report(
            Leak_DmaChannel,
            `DMA channel ${channel.name} is still claimed when ${WHEN[e.edge]}: call NdisMDeregisterDmaChannel.`,
            {
              ddi: 'NdisMRegisterDmaChannel',
              args: { MiniportAdapterHandle: adapter.name, MiniportDmaHandle: channel.name },
              owner: adapter,
              allocationSite: channel.site,
            },
          );
        }
      }
    },
  },
});
