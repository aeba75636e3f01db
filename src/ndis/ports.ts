/** NDIS port DDIs and the OID completion they depend on (SPEC §7). */
import { active } from './active.js';
import type {
  NDIS_HANDLE,
  NDIS_PORT_CHARACTERISTICS,
  NDIS_PORT_NUMBER,
  NDIS_STATUS,
  NET_PNP_EVENT_NOTIFICATION,
} from './types.js';

/**
 * Allocates an NDIS port of a miniport adapter; on NDIS_STATUS_SUCCESS, PortCharacteristics.PortNumber
 * holds the number NDIS assigned (the lowest free one). The port starts inactive (allocated).
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismallocateport
 */
export function NdisMAllocatePort(
  NdisMiniportHandle: NDIS_HANDLE,
  PortCharacteristics: NDIS_PORT_CHARACTERISTICS,
): NDIS_STATUS {
  return active().ports.allocate(NdisMiniportHandle, PortCharacteristics);
}

/**
 * Frees a port allocated with NdisMAllocatePort (it must be deactivated first; never the default port).
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismfreeport
 */
export function NdisMFreePort(NdisMiniportHandle: NDIS_HANDLE, PortNumber: NDIS_PORT_NUMBER): NDIS_STATUS {
  return active().ports.free(NdisMiniportHandle, PortNumber);
}

/**
 * Raises a network PnP event; a miniport raises NetEventPortActivation (Buffer: the first NDIS_PORT of
 * a Next-linked list) and NetEventPortDeactivation (Buffer: an array of port numbers), and from NDIS
 * 6.50 the four binding/pause events. IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismnetpnpevent
 */
export function NdisMNetPnPEvent(
  MiniportAdapterHandle: NDIS_HANDLE,
  NetPnPEventNotification: NET_PNP_EVENT_NOTIFICATION,
): NDIS_STATUS {
  return active().ports.events.netPnPEvent(MiniportAdapterHandle, NetPnPEventNotification);
}

/**
 * Completes an OID request that MiniportOidRequest returned NDIS_STATUS_PENDING for.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismoidrequestcomplete
 */
export function NdisMOidRequestComplete(
  MiniportAdapterHandle: NDIS_HANDLE,
  OidRequest: object,
  Status: NDIS_STATUS,
): void {
  active().oid.complete(MiniportAdapterHandle, OidRequest, Status);
}
