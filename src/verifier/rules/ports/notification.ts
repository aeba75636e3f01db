/**
 * NdisMNetPnPEvent_InvalidNotification: a miniport indicates only legal NET_PNP_EVENT_NOTIFICATIONs
 * — a good header, a port event with PortNumber 0 and a Buffer of the right kind and length (an
 * NDIS_PORT list without loops, or an array of port numbers), an event code a miniport may raise.
 * NDIS refuses such a call (INVALID_PARAMETER, or NOT_SUPPORTED for an intermediate-driver event)
 * and the verifier records it: Driver Verifier's NDIS checks name it bug check 0x7C / 0x22 (0x21 for
 * a malformed header, D17).
 */
import { NDIS_STATUS_NOT_SUPPORTED } from '../../../ndis/constants.js';
import { PortProblem } from '../../events/ports.js';
import { describeValue } from '../../format.js';
import { DEBUGGER, rule } from '../../rule.js';
import { describeAdapter, describeEvent, describeNotification, requirement } from './args.js';

export const NdisMNetPnPEvent_InvalidNotification = rule({
  id: 'NdisMNetPnPEvent_InvalidNotification',
  title:
    'A miniport driver indicates only legal NET_PNP_EVENT_NOTIFICATIONs: a valid header, an event code it may raise, and for port events PortNumber 0 with a well-formed port list.',
  link: `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: 0x22, name: 'BUGCODE_NDIS_DRIVER' },
  observe: {
    portPnPEvent(v, e) {
      const p = e.problem;
      if (p === PortProblem.None || p === PortProblem.InvalidHandle || p === PortProblem.InvalidArgument)
        return;
      const status =
        e.status === NDIS_STATUS_NOT_SUPPORTED
          ? 'NDIS_STATUS_NOT_SUPPORTED'
          : 'NDIS_STATUS_INVALID_PARAMETER';
      const shown = p === PortProblem.BadEventCode ? describeEvent(e.value) : describeValue(e.value);
      const where = p === PortProblem.Cycle ? `after ${shown} entries` : `is ${shown}`;
      v.report(
        NdisMNetPnPEvent_InvalidNotification,
        `NdisMNetPnPEvent: ${e.field} ${where}; ${requirement(p, e.field, true)}. It returns ${status} and no port changes state.`,
        {
          ddi: e.ddi,
          args: {
            MiniportAdapterHandle: describeAdapter(e.MiniportAdapterHandle, e.owner),
            NetPnPEventNotification: describeNotification(e.NetPnPEventNotification),
          },
          owner: e.owner,
          bugCheck:
            p === PortProblem.BadHeader ? { code: 0x7c, p1: 0x21, name: 'BUGCODE_NDIS_DRIVER' } : undefined,
        },
      );
    },
  },
});
