/**
 * NdisMFreePort's two recorded misuses (D11): freeing the default port (NDIS frees it after
 * MiniportHaltEx returns; the call returns INVALID_PORT) and freeing a port that is still active
 * (it must be deactivated first; the call returns INVALID_PORT_STATE).
 */
import { NDIS_STATUS_INVALID_PORT, NDIS_STATUS_INVALID_PORT_STATE } from '../../../ndis/constants.js';
import type { PortFreeEvent } from '../../events/ports.js';
import { describeValue } from '../../format.js';
import { DDI, NETWORK, rule } from '../../rule.js';
import { describeAdapter } from './args.js';

function freeArgs(e: PortFreeEvent): Record<string, unknown> {
  return {
    NdisMiniportHandle: describeAdapter(e.NdisMiniportHandle, e.owner),
    PortNumber: typeof e.PortNumber === 'number' ? e.PortNumber : describeValue(e.PortNumber),
  };
}

export const NdisMFreePort_DefaultPort = rule({
  id: 'NdisMFreePort_DefaultPort',
  title:
    'A miniport driver never frees the default port (port 0): NDIS frees it after MiniportHaltEx returns.',
  link: `${NETWORK}freeing-an-ndis-port`,
  severity: 'error',
  observe: {
    portFree(v, e) {
      if (e.PortNumber !== 0 || e.status !== NDIS_STATUS_INVALID_PORT || e.owner === null) return;
      v.report(
        NdisMFreePort_DefaultPort,
        'NdisMFreePort called for the default port (port 0), which NDIS allocated and frees itself; it returns NDIS_STATUS_INVALID_PORT (D11).',
        { ddi: e.ddi, args: freeArgs(e), owner: e.owner },
      );
    },
  },
});

export const NdisMFreePort_ActivePort = rule({
  id: 'NdisMFreePort_ActivePort',
  title:
    'A port the driver activated is deactivated (NetEventPortDeactivation) before NdisMFreePort frees it.',
  link: `${DDI}ndis/nf-ndis-ndismfreeport`,
  severity: 'error',
  observe: {
    portFree(v, e) {
      if (e.status !== NDIS_STATUS_INVALID_PORT_STATE) return;
      v.report(
        NdisMFreePort_ActivePort,
        `NdisMFreePort called for port ${describeValue(e.PortNumber)}, which is still active: deactivate it with a NetEventPortDeactivation event first. It returns NDIS_STATUS_INVALID_PORT_STATE and the port stays allocated (D11).`,
        { ddi: e.ddi, args: freeArgs(e), owner: e.owner, allocationSite: e.port?.site },
      );
    },
  },
});
