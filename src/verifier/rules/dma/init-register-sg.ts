/**
 * Init_RegisterSG (official): scatter-gather DMA registered in MiniportInitializeEx is deregistered
 * in MiniportHaltEx, and on the initialize failure path before MiniportInitializeEx returns. A
 * registration still live when MiniportHaltEx returns or a failing initialize returns is reported
 * (wherever it was made), and so is a deregistration made outside those two callbacks.
 */
import { DeregisterOutcome } from '../../events/dma.js';
import { DEVTEST, rule } from '../../rule.js';
import { deregisterArgs, WHEN } from './args.js';

export const Init_RegisterSG = rule({
  id: 'Init_RegisterSG',
  title:
    'Scatter-gather DMA registered in MiniportInitializeEx is deregistered in MiniportHaltEx, and before a failing MiniportInitializeEx returns.',
  link: `${DEVTEST}ndis-init-registersg`,
  severity: 'error',
  observe: {
    dmaDeregister(v, e) {
      if (e.ddi !== 'NdisMDeregisterScatterGatherDma' || e.outcome !== DeregisterOutcome.Ok) return;
      if (e.withinHalt || e.withinInitialize) return;
      v.report(
        Init_RegisterSG,
        `${e.ddi} is called outside MiniportHaltEx and MiniportInitializeEx; scatter-gather DMA is released in MiniportHaltEx (or on the initialize failure path). It is deregistered.`,
        { ddi: e.ddi, args: deregisterArgs(e), owner: e.registration?.adapter ?? null },
      );
    },
    lifecycleEdge(v, e) {
      if (e.adapter === null) return;
      const sg = e.engine.dma.peek(e.adapter)?.sg;
      if (sg === null || sg === undefined || !v.firstReport(sg)) return;
      const where = sg.inInitialize ? 'in MiniportInitializeEx' : 'outside MiniportInitializeEx';
      v.report(
        Init_RegisterSG,
        `Scatter-gather DMA registered ${where} (${sg.name}) is still registered when ${WHEN[e.edge]}: call NdisMDeregisterScatterGatherDma ${e.edge === 'haltReturned' ? 'in MiniportHaltEx' : 'before failing MiniportInitializeEx'}.`,
        {
          ddi: 'NdisMRegisterScatterGatherDma',
          args: { MiniportAdapterHandle: e.adapter.name, NdisMiniportDmaHandle: sg.name },
          owner: e.adapter,
          allocationSite: sg.site,
        },
      );
    },
  },
});
