/**
 * NdisMAllocatePort's documented rules without a status of their own: the characteristics are
 * well formed (INVALID_DATA, recorded because a correct driver never passes a malformed
 * structure), and the call comes between the registration attributes and MiniportHaltEx (D37).
 */
import { type PortAllocateEvent, PortClosing, PortProblem } from '../../events/ports.js';
import { describeValue } from '../../format.js';
import { DDI, NETWORK, rule } from '../../rule.js';
import { describeAdapter, describeCharacteristics, requirement } from './args.js';

const INVALID_OBJECT_HEADER = { code: 0x7c, p1: 0x21, name: 'BUGCODE_NDIS_DRIVER' } as const;

function allocateArgs(e: PortAllocateEvent): Record<string, unknown> {
  return {
    NdisMiniportHandle: describeAdapter(e.NdisMiniportHandle, e.owner),
    PortCharacteristics: describeCharacteristics(e.PortCharacteristics),
  };
}

export const NdisMAllocatePort_InvalidCharacteristics = rule({
  id: 'NdisMAllocatePort_InvalidCharacteristics',
  title:
    'NDIS_PORT_CHARACTERISTICS passed to NdisMAllocatePort is well formed: header (Type 0x80, Revision 1, Size >= 60), Flags, a port type a miniport may use, and every state in range.',
  link: `${DDI}ntddndis/ns-ntddndis-_ndis_port_characteristics`,
  severity: 'error',
  observe: {
    portAllocate(v, e) {
      if (e.problem !== PortProblem.BadHeader && e.problem !== PortProblem.BadField) return;
      v.report(
        NdisMAllocatePort_InvalidCharacteristics,
        `NdisMAllocatePort: PortCharacteristics.${e.field} is ${describeValue(e.value)}; ${requirement(e.problem, e.field, false)}. It returns NDIS_STATUS_INVALID_DATA.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          owner: e.owner,
          // D17, D39: a malformed header is the documented 0x7C / 0x21.
          bugCheck: e.problem === PortProblem.BadHeader ? INVALID_OBJECT_HEADER : undefined,
        },
      );
    },
  },
});

export const NdisMAllocatePort_BeforeAttributes = rule({
  id: 'NdisMAllocatePort_BeforeAttributes',
  title:
    'NdisMAllocatePort is called only after NdisMSetMiniportAttributes has set the registration attributes.',
  link: `${NETWORK}allocating-an-ndis-port`,
  severity: 'error',
  observe: {
    portAllocate(v, e) {
      if (!e.beforeAttributes) return;
      v.report(
        NdisMAllocatePort_BeforeAttributes,
        `NdisMAllocatePort called before NdisMSetMiniportAttributes set the registration attributes of ${describeAdapter(e.NdisMiniportHandle, e.owner)}; the call proceeds (D37).`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});

export const NdisMAllocatePort_DuringHalt = rule({
  id: 'NdisMAllocatePort_DuringHalt',
  title: 'NdisMAllocatePort is not called once NDIS has called MiniportHaltEx for the adapter.',
  link: `${NETWORK}allocating-an-ndis-port`,
  severity: 'error',
  observe: {
    portAllocate(v, e) {
      if (e.closing === PortClosing.No) return;
      const when =
        e.closing === PortClosing.Halting ? 'while MiniportHaltEx runs' : 'after MiniportHaltEx returned';
      v.report(
        NdisMAllocatePort_DuringHalt,
        `NdisMAllocatePort called ${when}; the adapter is closing: it returns NDIS_STATUS_CLOSING and allocates nothing (D37).`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});
