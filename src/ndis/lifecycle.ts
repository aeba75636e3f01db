/**
 * Miniport driver and adapter lifecycle DDIs (SPEC §2), and the lifecycle constants and structures
 * SPEC §10 does not list (they are in ndis.h; sizes derived from the x64 layouts).
 */
import { active } from './active.js';
import type {
  DRIVER_OBJECT,
  NDIS_HANDLE,
  NDIS_MINIPORT_ADAPTER_ATTRIBUTES,
  NDIS_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_HEADER,
  NDIS_PORT_NUMBER,
  NDIS_STATUS,
  ULONG,
} from './types.js';

// NDIS_DEVICE_PNP_EVENT (ndis.h): NET_DEVICE_PNP_EVENT.DevicePnPEvent, given to MiniportDevicePnPEventNotify.
export const NdisDevicePnPEventQueryRemoved = 0;
export const NdisDevicePnPEventRemoved = 1;
export const NdisDevicePnPEventSurpriseRemoved = 2;
export const NdisDevicePnPEventQueryStopped = 3;
export const NdisDevicePnPEventStopped = 4;
export const NdisDevicePnPEventPowerProfileChanged = 5;
export const NdisDevicePnPEventFilterListChanged = 6;
export const NdisDevicePnPEventMaximum = 7;
export const NET_DEVICE_PNP_EVENT_REVISION_1 = 1;
/** Through NdisReserved (derived; `sizeof` is 48). */
export const NDIS_SIZEOF_NET_DEVICE_PNP_EVENT_REVISION_1 = 44;
/** Through AutoNegotiationFlags (`RTL_SIZEOF_THROUGH_FIELD`, derived from the header layout). */
export const NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 = 216;
/** Through PowerManagementCapabilitiesEx (NDIS 6.20; derived). */
export const NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 = 224;
/** NDIS_PORT_AUTHENTICATION_PARAMETERS: the header and four ULONG states (derived). */
export const NDIS_SIZEOF_PORT_AUTHENTICATION_PARAMETERS_REVISION_1 = 20;

/** NET_DEVICE_PNP_EVENT (given to MiniportDevicePnPEventNotify). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_net_device_pnp_event */
export interface NET_DEVICE_PNP_EVENT {
  Header: NDIS_OBJECT_HEADER;
  PortNumber: NDIS_PORT_NUMBER;
  /** NDIS_DEVICE_PNP_EVENT (NdisDevicePnPEventXxx). */
  DevicePnPEvent: number;
  /** NULL for NdisDevicePnPEventSurpriseRemoved; a ULONG power profile for PowerProfileChanged. */
  InformationBuffer: unknown;
  InformationBufferLength: ULONG;
}

/** What NdisMRegisterMiniportDriver returns: its status and the out-parameter (NULL on failure). */
export interface NdisMRegisterMiniportDriverResult {
  Status: NDIS_STATUS;
  NdisMiniportDriverHandle: NDIS_HANDLE;
}

/**
 * Registers the driver's MiniportXxx entry points (NDIS copies the characteristics) and calls its
 * MiniportSetOptions, if any, before returning. The handle is NULL unless Status is SUCCESS.
 * IRQL = PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismregisterminiportdriver
 */
export function NdisMRegisterMiniportDriver(
  DriverObject: DRIVER_OBJECT,
  RegistryPath: string,
  MiniportDriverContext: unknown,
  MiniportDriverCharacteristics: NDIS_MINIPORT_DRIVER_CHARACTERISTICS,
): NdisMRegisterMiniportDriverResult {
  return active().lifecycle.registerMiniportDriver(
    DriverObject,
    RegistryPath,
    MiniportDriverContext,
    MiniportDriverCharacteristics,
  );
}

/**
 * Releases what NdisMRegisterMiniportDriver allocated: from MiniportDriverUnload, or from a DriverEntry
 * that fails after registering.
 * IRQL = PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismderegisterminiportdriver
 */
export function NdisMDeregisterMiniportDriver(NdisMiniportDriverHandle: NDIS_HANDLE): void {
  active().lifecycle.deregisterMiniportDriver(NdisMiniportDriverHandle);
}

/**
 * Sets one attribute structure of the adapter (the union member is selected by Header.Type): from
 * MiniportInitializeEx, registration attributes first, general attributes second.
 * IRQL = PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismsetminiportattributes
 */
export function NdisMSetMiniportAttributes(
  NdisMiniportHandle: NDIS_HANDLE,
  MiniportAttributes: NDIS_MINIPORT_ADAPTER_ATTRIBUTES,
): NDIS_STATUS {
  return active().lifecycle.setMiniportAttributes(NdisMiniportHandle, MiniportAttributes);
}

/**
 * Completes a pause for which MiniportPause returned NDIS_STATUS_PENDING: the adapter is Paused.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismpausecomplete
 */
export function NdisMPauseComplete(MiniportAdapterHandle: NDIS_HANDLE): void {
  active().lifecycle.pauseComplete(MiniportAdapterHandle);
}

/**
 * Completes a restart for which MiniportRestart returned NDIS_STATUS_PENDING: Running on SUCCESS,
 * Paused on RESOURCES or FAILURE.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismrestartcomplete
 */
export function NdisMRestartComplete(MiniportAdapterHandle: NDIS_HANDLE, Status: NDIS_STATUS): void {
  active().lifecycle.restartComplete(MiniportAdapterHandle, Status);
}
