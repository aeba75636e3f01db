/**
 * The OID rules the port events depend on: NdisMNetPnPEventInOIDRequest (official) — no
 * NdisMNetPnPEvent from MiniportOidRequest or while an OID request the driver pended is
 * outstanding, which deadlocks; the call still proceeds — and NdisOidDoubleComplete (official) —
 * NdisMOidRequestComplete only for a request that is pending (bug check 0x7C / 0x26,
 * NDIS_BUGCHECK_INVALID_OID_COMPLETION, D39).
 */
import { OidCompletion } from '../../events/ports.js';
import { describeHandle, describeValue, hex } from '../../format.js';
import { DEVTEST, rule } from '../../rule.js';
import { describeAdapter, describeNotification } from './args.js';

export const NdisMNetPnPEventInOIDRequest = rule({
  id: 'NdisMNetPnPEventInOIDRequest',
  title:
    'NdisMNetPnPEvent is not called from MiniportOidRequest, nor while an OID request the driver pended is not yet completed with NdisMOidRequestComplete.',
  link: `${DEVTEST}ndis-ndismnetpnpeventinoidrequest`,
  severity: 'error',
  observe: {
    portPnPEvent(v, e) {
      if (!e.inOidRequest && e.pendingOid === null) return;
      const why = e.inOidRequest
        ? 'from MiniportOidRequest'
        : 'while an OID request it returned NDIS_STATUS_PENDING for is not yet completed with NdisMOidRequestComplete';
      v.report(
        NdisMNetPnPEventInOIDRequest,
        `NdisMNetPnPEvent called ${why}: NDIS serializes OID requests and PnP events, so this can deadlock. The call proceeds.`,
        {
          ddi: e.ddi,
          args: {
            MiniportAdapterHandle: describeAdapter(e.MiniportAdapterHandle, e.owner),
            NetPnPEventNotification: describeNotification(e.NetPnPEventNotification),
          },
          owner: e.owner,
        },
      );
    },
  },
});

export const NdisOidDoubleComplete = rule({
  id: 'NdisOidDoubleComplete',
  title:
    'An OID request is completed once: NdisMOidRequestComplete only for a request MiniportOidRequest pended.',
  link: `${DEVTEST}ndis-ndisoiddoublecomplete`,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: 0x26, name: 'BUGCODE_NDIS_DRIVER' },
  observe: {
    oidComplete(v, e) {
      if (e.outcome === OidCompletion.Ok) return;
      const message =
        e.ddi === 'MiniportOidRequest'
          ? `MiniportOidRequest called NdisMOidRequestComplete for the request and then returned ${describeStatus(e.Status)} instead of NDIS_STATUS_PENDING: the request is completed twice.`
          : `NdisMOidRequestComplete called for an OID request that is not pending on ${e.owner?.name ?? 'this adapter'} (never pended, already completed, or another adapter's); nothing is completed.`;
      v.report(NdisOidDoubleComplete, message, {
        ddi: e.ddi === 'MiniportOidRequest' ? 'NdisMOidRequestComplete' : e.ddi,
        args: {
          MiniportAdapterHandle: describeAdapter(e.MiniportAdapterHandle, e.owner),
          OidRequest: describeHandle(e.OidRequest),
          Status: describeStatus(e.Status),
        },
        owner: e.owner,
      });
    },
  },
});

function describeStatus(status: unknown): string {
  return typeof status === 'number' && Number.isInteger(status) ? hex(status) : describeValue(status);
}
