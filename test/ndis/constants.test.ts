import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as constants from '../../src/ndis/constants.js';

// Transcribed by hand from reference/SPEC.md §10 (10.1-10.8) and §9.3. Every exported value (except
// arrays and helper functions) must have a row here, and every row must match the export.
const EXPECTED: ReadonlyArray<readonly [name: string, value: number | bigint | null]> = [
  // §10.1 Status codes
  ['NDIS_STATUS_SUCCESS', 0x00000000],
  ['NDIS_STATUS_PENDING', 0x00000103],
  ['NDIS_STATUS_NOT_ACCEPTED', 0x00010003],
  ['NDIS_STATUS_FAILURE', 0xc0000001],
  ['NDIS_STATUS_INVALID_PARAMETER', 0xc000000d],
  ['NDIS_STATUS_RESOURCES', 0xc000009a],
  ['NDIS_STATUS_NOT_SUPPORTED', 0xc00000bb],
  ['NDIS_STATUS_INVALID_STATE', 0xc0000184],
  ['NDIS_STATUS_CLOSING', 0xc0010002],
  ['NDIS_STATUS_BAD_VERSION', 0xc0010004],
  ['NDIS_STATUS_BAD_CHARACTERISTICS', 0xc0010005],
  ['NDIS_STATUS_INVALID_LENGTH', 0xc0010014],
  ['NDIS_STATUS_INVALID_DATA', 0xc0010015],
  ['NDIS_STATUS_RESOURCE_CONFLICT', 0xc001001e],
  ['NDIS_STATUS_PAUSED', 0xc023002a],
  ['NDIS_STATUS_UNSUPPORTED_REVISION', 0xc023002c],
  ['NDIS_STATUS_INVALID_PORT', 0xc023002d],
  ['NDIS_STATUS_INVALID_PORT_STATE', 0xc023002e],
  ['NDIS_STATUS_LOW_POWER_STATE', 0xc023002f],
  ['NDIS_STATUS_PORT_STATE', 0x40010022],

  // §10.2 IRQL
  ['PASSIVE_LEVEL', 0],
  ['APC_LEVEL', 1],
  ['DISPATCH_LEVEL', 2],
  ['HIGH_LEVEL', 15],

  // §10.3 Memory
  ['NDIS_MEMORY_CONTIGUOUS', 0x1],
  ['NDIS_MEMORY_NONCACHED', 0x2],
  ['LowPoolPriority', 0],
  ['LowPoolPrioritySpecialPoolOverrun', 8],
  ['LowPoolPrioritySpecialPoolUnderrun', 9],
  ['NormalPoolPriority', 16],
  ['NormalPoolPrioritySpecialPoolOverrun', 24],
  ['NormalPoolPrioritySpecialPoolUnderrun', 25],
  ['HighPoolPriority', 32],
  ['HighPoolPrioritySpecialPoolOverrun', 40],
  ['HighPoolPrioritySpecialPoolUnderrun', 41],
  ['NDIS_DEFAULT_POOL_TAG', 0x6d61444e],

  // §10.4 DMA and shared memory
  ['NDIS_SG_DMA_64_BIT_ADDRESS', 0x1],
  ['NDIS_SG_DMA_V3_HAL_API', 0x2],
  ['NDIS_SG_DMA_HYBRID_DMA', 0x4],
  ['NDIS_SG_DMA_DESCRIPTION_REVISION_1', 1],
  ['NDIS_SG_DMA_DESCRIPTION_REVISION_2', 2],
  ['NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS', 0x1],
  ['NDIS_SHARED_MEM_PARAMETERS_CONTIGOUS', 0x1],
  ['NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED', null],
  ['NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1', 1],
  ['NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2', 2],
  ['NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1', 1],
  ['NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS', 0x1],
  ['NdisSharedMemoryUsageUndefined', 0],
  ['NdisSharedMemoryUsageXmit', 1],
  ['NdisSharedMemoryUsageXmitHeader', 2],
  ['NdisSharedMemoryUsageXmitData', 3],
  ['NdisSharedMemoryUsageReceive', 4],
  ['NdisSharedMemoryUsageReceiveLookahead', 5],
  ['NdisSharedMemoryUsageReceivePostLookahead', 6],
  ['NdisSharedMemoryUsageReceiveHeader', 7],
  ['NdisSharedMemoryUsageReceiveData', 8],
  ['NdisSharedMemoryUsageOther', 9],
  ['NdisSharedMemoryUsageMax', 10],
  ['NDIS_DEFAULT_RECEIVE_QUEUE_ID', 0],
  ['NDIS_DEFAULT_VPORT_ID', 0],
  ['NDIS_DEFAULT_SWITCH_ID', 0],
  ['MM_ANY_NODE_OK', 0x80000000],
  ['Width8Bits', 0],
  ['Width16Bits', 1],
  ['Width32Bits', 2],
  ['Width64Bits', 3],
  ['WidthNoWrap', 4],
  ['Compatible', 0],
  ['TypeA', 1],
  ['TypeB', 2],
  ['TypeC', 3],
  ['TypeF', 4],

  // §10.5 Ports and PnP events
  ['NDIS_DEFAULT_PORT_NUMBER', 0],
  ['NDIS_MAXIMUM_PORTS', 0x1000000],
  ['NdisPortTypeUndefined', 0],
  ['NdisPortTypeBridge', 1],
  ['NdisPortTypeRasConnection', 2],
  ['NdisPortType8021xSupplicant', 3],
  ['NdisPortTypeNdisImPlatform', 4],
  ['NdisPortTypeMax', 5],
  ['NdisPortControlStateUnknown', 0],
  ['NdisPortControlStateControlled', 1],
  ['NdisPortControlStateUncontrolled', 2],
  ['NdisPortAuthorizationUnknown', 0],
  ['NdisPortAuthorized', 1],
  ['NdisPortUnauthorized', 2],
  ['NdisPortReauthorizing', 3],
  ['NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS', 0x1],
  ['NDIS_PORT_CHARACTERISTICS_REVISION_1', 1],
  ['NDIS_PORT_STATE_REVISION_1', 1],
  ['MediaConnectStateUnknown', 0],
  ['MediaConnectStateConnected', 1],
  ['MediaConnectStateDisconnected', 2],
  ['NET_IF_DIRECTION_SENDRECEIVE', 0],
  ['NET_IF_DIRECTION_SENDONLY', 1],
  ['NET_IF_DIRECTION_RECEIVEONLY', 2],
  ['NDIS_LINK_SPEED_UNKNOWN', 0xffffffffffffffffn],
  ['NetEventSetPower', 0],
  ['NetEventQueryPower', 1],
  ['NetEventQueryRemoveDevice', 2],
  ['NetEventCancelRemoveDevice', 3],
  ['NetEventReconfigure', 4],
  ['NetEventBindList', 5],
  ['NetEventBindsComplete', 6],
  ['NetEventPnPCapabilities', 7],
  ['NetEventPause', 8],
  ['NetEventRestart', 9],
  ['NetEventPortActivation', 10],
  ['NetEventPortDeactivation', 11],
  ['NetEventIMReEnableDevice', 12],
  ['NetEventNDKEnable', 13],
  ['NetEventNDKDisable', 14],
  ['NetEventFilterPreDetach', 15],
  ['NetEventBindFailed', 16],
  ['NetEventSwitchActivate', 17],
  ['NetEventAllowBindsAbove', 18],
  ['NetEventInhibitBindsAbove', 19],
  ['NetEventAllowStart', 20],
  ['NetEventRequirePause', 21],
  ['NetEventUploadGftFlowEntries', 22],
  ['NetEventMaximum', 23],
  ['NET_PNP_EVENT_NOTIFICATION_REVISION_1', 1],
  ['NET_PNP_EVENT_NOTIFICATION_REVISION_2', 2],
  ['NET_EVENT_HALT_MINIPORT_ON_LOW_POWER', 0x1],
  ['NET_EVENT_FLAGS_VPORT_ID_VALID', 0x2],

  // §10.6 Driver, adapter and object headers
  ['NDIS_OBJECT_TYPE_DEFAULT', 0x80],
  ['NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS', 0x81],
  ['NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION', 0x83],
  ['NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS', 0x8a],
  ['NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS', 0x9c],
  ['NDIS_OBJECT_TYPE_PORT_STATE', 0x9d],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES', 0x9e],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES', 0x9f],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES', 0xa0],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES', 0xa1],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES', 0xa4],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES', 0xaf],
  ['NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS', 0xb0],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES', 0xb3],
  ['NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES', 0xc5],
  ['NDIS_OBJECT_REVISION_1', 1],
  ['NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1', 1],
  ['NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2', 2],
  ['NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3', 3],
  ['NDIS_INTERMEDIATE_DRIVER', 0x1],
  ['NDIS_WDM_DRIVER', 0x2],
  ['NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1', 1],
  ['NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1', 1],
  ['NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1', 1],
  ['NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1', 1],
  ['NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2', 2],
  ['NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1', 1],
  ['NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2', 2],
  ['NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1', 1],
  ['NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2', 2],
  ['NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3', 3],
  ['NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_4', 4],
  ['NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE', 0x1],
  ['NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM', 0x2],
  ['NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK', 0x4],
  ['NDIS_MINIPORT_ATTRIBUTES_NOT_CO_NDIS', 0x8],
  ['NDIS_MINIPORT_ATTRIBUTES_DO_NOT_BIND_TO_ALL_CO', 0x10],
  ['NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND', 0x20],
  ['NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER', 0x40],
  ['NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT', 0x80],
  ['NDIS_MINIPORT_ATTRIBUTES_NO_PAUSE_ON_SUSPEND', 0x100],
  ['NDIS_MINIPORT_ATTRIBUTES_NO_OID_INTERCEPT_ON_NONDEFAULT_PORTS', 0x200],
  ['NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK', 0x400],
  ['NdisHaltDeviceDisabled', 0],
  ['NdisHaltDeviceInstanceDeInitialized', 1],
  ['NdisHaltDevicePoweredDown', 2],
  ['NdisHaltDeviceSurpriseRemoved', 3],
  ['NdisHaltDeviceFailed', 4],
  ['NdisHaltDeviceInitializationFailed', 5],
  ['NdisHaltDeviceStopped', 6],
  ['NdisShutdownPowerOff', 0],
  ['NdisShutdownBugCheck', 1],
  ['NDIS_PAUSE_NDIS_INTERNAL', 0x1],
  ['NDIS_PAUSE_LOW_POWER', 0x2],
  ['NDIS_PAUSE_BIND_PROTOCOL', 0x4],
  ['NDIS_PAUSE_UNBIND_PROTOCOL', 0x8],
  ['NDIS_PAUSE_ATTACH_FILTER', 0x10],
  ['NDIS_PAUSE_DETACH_FILTER', 0x20],
  ['NDIS_PAUSE_FILTER_RESTART_STACK', 0x40],
  ['NDIS_PAUSE_MINIPORT_DEVICE_REMOVE', 0x80],
  ['NdisInterfaceInternal', 0],
  ['NdisInterfaceIsa', 1],
  ['NdisInterfaceEisa', 2],
  ['NdisInterfaceMca', 3],
  ['NdisInterfaceTurboChannel', 4],
  ['NdisInterfacePci', 5],
  ['NdisInterfacePcMcia', 8],
  ['NdisInterfaceCBus', 9],
  ['NdisInterfaceMPIBus', 10],
  ['NdisInterfaceMPSABus', 11],
  ['NdisInterfaceProcessorInternal', 12],
  ['NdisInterfaceInternalPowerBus', 13],
  ['NdisInterfacePNPISABus', 14],
  ['NdisInterfacePNPBus', 15],
  ['NdisInterfaceUSB', 16],
  ['NdisInterfaceIrda', 17],
  ['NdisInterface1394', 18],
  ['NDIS_MINIPORT_MAJOR_VERSION', 6],

  // §10.7 Bug check codes, §9.3 0x7C parameter 1, Driver Verifier flags
  ['BUGCODE_NDIS_DRIVER', 0x7c],
  ['DRIVER_VERIFIER_DETECTED_VIOLATION', 0xc4],
  ['BUGCODE_ID_DRIVER', 0xd2],
  ['DRIVER_VERIFIER_DMA_VIOLATION', 0xe6],
  ['NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL', 0x01],
  ['NDIS_BUGCHECK_SHARED_MEM_CORRUPTION', 0x02],
  ['NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM', 0x03],
  ['NDIS_BUGCHECK_UNLOAD_DRIVER_INVALID_PARAMETER', 0x04],
  ['NDIS_BUGCHECK_HALT_WITHOUT_INTERRUPT_DEREGISTER', 0x08],
  ['NDIS_BUGCHECK_HALT_WITHOUT_CANCEL_TIMER', 0x09],
  ['NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED', 0x0a],
  ['NDIS_BUGCHECK_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER', 0x0b],
  ['NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER', 0x0c],
  ['NDIS_BUGCHECK_HALT_INIT_WITHOUT_INTERRUPT_DEREGISTER', 0x0d],
  ['NDIS_BUGCHECK_HALT_INIT_WITHOUT_CANCEL_TIMER', 0x0e],
  ['NDIS_BUGCHECK_PM_INIT_FAILED_NO_INT_DEREGISTER', 0x10],
  ['NDIS_BUGCHECK_PM_INIT_FAILED_NO_CANCEL_TIMER', 0x11],
  ['NDIS_BUGCHECK_INVALID_NDIS5_CALL', 0x15],
  ['NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION', 0x1f],
  ['NDIS_BUGCHECK_INVALID_OBJECT_HEADER', 0x21],
  ['NDIS_BUGCHECK_ILLEGAL_NET_PNP_EVENT', 0x22],
  ['NDIS_BUGCHECK_WATCHDOG', 0x25],
  ['NDIS_BUGCHECK_LEAKED_NBL', 0x27],
  ['DRIVER_VERIFIER_FLAG_LOW_RESOURCES_SIMULATION', 0x4],
  ['DRIVER_VERIFIER_FLAG_DMA_VERIFICATION', 0x80],
  ['DRIVER_VERIFIER_FLAG_DDI_COMPLIANCE_CHECKING', 0x20000],
  ['DRIVER_VERIFIER_FLAG_SYSTEMATIC_LOW_RESOURCES_SIMULATION', 0x40000],
  ['DRIVER_VERIFIER_FLAG_DDI_COMPLIANCE_CHECKING_ADDITIONAL', 0x80000],
  ['DRIVER_VERIFIER_FLAG_NDIS_WIFI_VERIFICATION', 0x200000],

  // §10.8 Structure sizes (x64, derived)
  ['NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1', 64],
  ['NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2', 68],
  ['NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1', 32],
  ['NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1', 36],
  ['NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_2', 48],
  ['NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1', 60],
  ['NDIS_SIZEOF_PORT_STATE_REVISION_1', 48],
  ['NDIS_SIZEOF_NDIS_PORT', 96],
  ['NDIS_SIZEOF_NET_PNP_EVENT', 152],
  ['NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1', 164],
  ['NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2', 172],
  ['NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1', 136],
  ['NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2', 152],
  ['NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3', 160],
  ['NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1', 28],
  ['NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2', 28],
  ['NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1', 64],
  ['NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1', 12],
  ['NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1', 20],
  ['NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1', 16],
  ['NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2', 48],
  ['NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3', 80],
  ['NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_4', 96],
];

const exported = constants as unknown as Readonly<Record<string, unknown>>;

/** Exported values that are neither helpers (functions) nor lists (arrays). */
function scalarExportNames(): string[] {
  return Object.keys(exported).filter((name) => {
    const value = exported[name];
    return typeof value !== 'function' && !Array.isArray(value);
  });
}

function findSpec(): string | undefined {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const candidates = [
    '/work/shared/reference/SPEC.md',
    path.resolve(repoRoot, '../shared/reference/SPEC.md'),
  ];
  return candidates.find((candidate) => fs.existsSync(candidate));
}

describe('constants (SPEC §10)', () => {
  it.each(EXPECTED)('%s', (name, value) => {
    expect(Object.hasOwn(exported, name)).toBe(true);
    expect(exported[name]).toBe(value);
  });

  it('the hand table has no duplicate rows', () => {
    const names = EXPECTED.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every exported scalar constant has a row in the hand table', () => {
    const table = new Set(EXPECTED.map(([name]) => name));
    const unchecked = scalarExportNames().filter((name) => !table.has(name));
    expect(unchecked).toEqual([]);
  });

  it('every exported scalar is a number, a bigint or null', () => {
    for (const name of scalarExportNames()) {
      const value = exported[name];
      expect(typeof value === 'number' || typeof value === 'bigint' || value === null, name).toBe(true);
    }
  });

  it('status codes are unsigned 32-bit values', () => {
    for (const name of scalarExportNames().filter((n) => n.startsWith('NDIS_STATUS_'))) {
      const value = exported[name] as number;
      expect(Number.isInteger(value), name).toBe(true);
      expect(value >>> 0, name).toBe(value);
    }
  });

  it('NDIS_MINIPORT_MINOR_VERSIONS is the header list (§11 D27) and frozen', () => {
    expect(constants.NDIS_MINIPORT_MINOR_VERSIONS).toEqual([
      0, 1, 20, 30, 40, 50, 51, 60, 70, 80, 81, 82, 83, 84, 85, 86, 87,
    ]);
    expect(Object.isFrozen(constants.NDIS_MINIPORT_MINOR_VERSIONS)).toBe(true);
  });

  it('the 0x7C/0x1F sub-reasons are not exported (values unconfirmed)', () => {
    expect(
      Object.keys(exported).filter((name) =>
        name.startsWith('NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION_'),
      ),
    ).toEqual([]);
  });

  const specPath = findSpec();
  if (specPath !== undefined) {
    it('matches the §10.1 status table of SPEC.md', () => {
      const text = fs.readFileSync(specPath, 'utf8');
      const start = text.indexOf('### 10.1');
      const end = text.indexOf('### 10.2', start);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeGreaterThan(start);
      const rows = new Map<string, number>();
      const row =
        /^\|\s*\**(NDIS_STATUS_[A-Z0-9_]+)\**(?:\s*\([^)]*\))?\s*\|\s*\**(0x[0-9A-Fa-f]{8})\**\s*\|/gm;
      for (const match of text.slice(start, end).matchAll(row)) {
        rows.set(match[1] as string, Number.parseInt(match[2] as string, 16));
      }
      const exportedStatuses = scalarExportNames().filter((name) => name.startsWith('NDIS_STATUS_'));
      expect([...rows.keys()].sort()).toEqual([...exportedStatuses].sort());
      for (const [name, value] of rows) {
        expect(exported[name], name).toBe(value);
      }
    });
  }
});

describe('ndisStatusName', () => {
  it('names every exported status', () => {
    for (const name of scalarExportNames().filter((n) => n.startsWith('NDIS_STATUS_'))) {
      expect(constants.ndisStatusName(exported[name] as number)).toBe(name);
    }
  });

  it('accepts signed 32-bit values as C traces print them', () => {
    expect(constants.ndisStatusName(-1073741823)).toBe('NDIS_STATUS_FAILURE');
    expect(constants.ndisStatusName(0xc023002d | 0)).toBe('NDIS_STATUS_INVALID_PORT');
  });

  it('formats unknown values as 0x%08X', () => {
    expect(constants.ndisStatusName(0x12345678)).toBe('0x12345678');
    expect(constants.ndisStatusName(0xc0abcdef)).toBe('0xC0ABCDEF');
    expect(constants.ndisStatusName(0x1)).toBe('0x00000001');
    expect(constants.ndisStatusName(-2)).toBe('0xFFFFFFFE');
  });

  it('does not misname values that are not 32-bit integers', () => {
    expect(constants.ndisStatusName(0x1c0000001)).toBe('7516192769');
    expect(constants.ndisStatusName(Number.NaN)).toBe('NaN');
    expect(constants.ndisStatusName(1.5)).toBe('1.5');
  });
});
