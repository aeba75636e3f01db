/**
 * The port obligations over the lifecycle (SPEC §7.8): every port the driver allocated is
 * deactivated and freed before MiniportHaltEx returns, and before a failing MiniportInitializeEx
 * returns (Leak_Port, one violation per port with its allocation site); a default port the driver
 * activated itself is deactivated before MiniportHaltEx returns (DefaultPort_ActiveAtHalt).
 * Neither has a documented bug-check code (D39).
 */
import { PortState } from '../../../engine/ports-state.js';
import { NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT } from '../../../ndis/constants.js';
import type { LifecycleEdgeEvent } from '../../events.js';
import { hex } from '../../format.js';
import { NETWORK, rule } from '../../rule.js';

const WHEN: Record<LifecycleEdgeEvent['edge'], string> = {
  initializeFailed: 'MiniportInitializeEx returned a failure',
  haltReturned: 'MiniportHaltEx returned',
  driverUnload: 'the driver unloaded',
};

export const Leak_Port = rule({
  id: 'Leak_Port',
  title:
    'Every port the driver allocated is deactivated and freed before MiniportHaltEx returns, and before a failing MiniportInitializeEx returns.',
  link: `${NETWORK}freeing-an-ndis-port`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const adapter = e.adapter;
      if (adapter === null) return;
      for (const port of [...e.engine.ports.allocated(adapter)]) {
        const active = port.state === PortState.Activated;
        v.report(
          Leak_Port,
          `Port ${port.PortNumber} (type ${port.Type}) is still ${active ? 'active and allocated' : 'allocated'} when ${WHEN[e.edge]}: ${active ? 'deactivate it with a NetEventPortDeactivation event, then free it' : 'free it'} with NdisMFreePort.`,
          {
            ddi: 'NdisMAllocatePort',
            args: { NdisMiniportHandle: adapter.name, PortNumber: port.PortNumber, Flags: hex(port.Flags) },
            owner: adapter,
            allocationSite: port.site,
          },
        );
      }
    },
  },
});

export const DefaultPort_ActiveAtHalt = rule({
  id: 'DefaultPort_ActiveAtHalt',
  title:
    'A miniport driver that activated the default port itself (NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT) deactivates it before MiniportHaltEx returns.',
  link: `${NETWORK}deactivating-an-ndis-port`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const adapter = e.adapter;
      if (e.edge !== 'haltReturned' || adapter === null) return;
      const table = e.engine.ports.peek(adapter);
      const port = table?.get(0);
      if (table === undefined || port === undefined || port.state !== PortState.Activated) return;
      // "If a miniport driver assumes the responsibility for activating the default port and the
      // miniport driver activated the default port" [deactivating-an-ndis-port]: both conditions.
      if ((adapter.attributeFlags & NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT) === 0) return;
      if (!table.defaultActivatedByDriver) return;
      v.report(
        DefaultPort_ActiveAtHalt,
        'The default port the driver activated with a NetEventPortActivation event is still active when MiniportHaltEx returned: deactivate it with a NetEventPortDeactivation event before returning.',
        {
          ddi: 'NdisMNetPnPEvent',
          args: { MiniportAdapterHandle: adapter.name, PortNumber: 0 },
          owner: adapter,
          allocationSite: table.defaultActivationSite,
        },
      );
    },
  },
});
