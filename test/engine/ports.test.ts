/**
 * Every documented status of NdisMAllocatePort and NdisMFreePort (D11, D16, D17, D37), the port
 * state they leave, the fault hook, the lifecycle hooks and the default port. The PnP-event
 * statuses are in ports-pnp.test.ts; the rules' findings in test/conformance/.
 */
import { describe, expect, it } from 'vitest';
import { PortState } from '../../src/engine/ports-state.js';
import {
  NDIS_MAXIMUM_PORTS,
  NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS,
  NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS,
  NDIS_STATUS_CLOSING,
  NDIS_STATUS_INVALID_DATA,
  NDIS_STATUS_INVALID_PORT,
  NDIS_STATUS_INVALID_PORT_STATE,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NdisPortType8021xSupplicant,
  NdisPortTypeBridge,
  NdisPortTypeNdisImPlatform,
  NdisPortTypeUndefined,
} from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort, NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import type { NDIS_PORT_CHARACTERISTICS } from '../../src/ndis/types.js';
import { activation, characteristics, deactivation, portSim, ruleIds } from './ports-helpers.js';

/** Allocates one well-formed port and returns its number. */
function allocate(s: ReturnType<typeof portSim>): number {
  const c = characteristics();
  expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_SUCCESS);
  return c.PortNumber;
}

/** A characteristics structure with one member replaced by anything. */
function withField(field: string, value: unknown, header = false): NDIS_PORT_CHARACTERISTICS {
  const c = characteristics() as unknown as Record<string, unknown>;
  if (header) (c.Header as Record<string, unknown>)[field] = value;
  else c[field] = value;
  return c as unknown as NDIS_PORT_CHARACTERISTICS;
}

describe('NdisMAllocatePort', () => {
  it('SUCCESS: writes the lowest free number (1 upward) and the port starts allocated, inactive', () => {
    const s = portSim();
    const c = characteristics({ PortNumber: 777 });
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(1);
    expect(s.engine.ports.port(s.adapter, 1)?.state).toBe(PortState.Allocated);
    expect([allocate(s), allocate(s)]).toEqual([2, 3]);
    expect(NdisMFreePort(s.adapter, 2)).toBe(NDIS_STATUS_SUCCESS);
    expect(allocate(s)).toBe(2);
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    [
      'Header.Type NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS (D16)',
      withField('Type', NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS, true),
    ],
    ['Header.Size = sizeof (64, D17)', withField('Size', 64, true)],
    ['Type NdisPortTypeUndefined', withField('Type', NdisPortTypeUndefined)],
    ['Type NdisPortType8021xSupplicant', withField('Type', NdisPortType8021xSupplicant)],
    [
      'link speeds NDIS_LINK_SPEED_UNKNOWN',
      { ...characteristics(), XmitLinkSpeed: 0xffffffffffffffffn, RcvLinkSpeed: -1 },
    ],
    [
      'USE_DEFAULT_AUTH_SETTINGS with the ignored states out of range',
      {
        ...characteristics(),
        Flags: NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS,
        SendAuthorizationState: 9,
        RcvControlState: 7,
      },
    ],
  ])('SUCCESS: %s', (_, c) => {
    const s = portSim();
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(1);
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    ['Header NULL', withField('Header', null)],
    ['Header.Type NDIS_OBJECT_TYPE_PORT_STATE', withField('Type', 0x9d, true)],
    ['Header.Revision 2', withField('Revision', 2, true)],
    ['Header.Size 59 (D17)', withField('Size', 59, true)],
    ['Flags with a reserved bit', withField('Flags', 2)],
    ['Flags not a ULONG', withField('Flags', -1)],
    ['Type NdisPortTypeBridge (reserved for system use)', withField('Type', NdisPortTypeBridge)],
    [
      'Type NdisPortTypeNdisImPlatform (reserved for system use)',
      withField('Type', NdisPortTypeNdisImPlatform),
    ],
    ['Type NdisPortTypeMax', withField('Type', 5)],
    ['MediaConnectState 3', withField('MediaConnectState', 3)],
    ['XmitLinkSpeed negative', withField('XmitLinkSpeed', -2)],
    ['RcvLinkSpeed not a number', withField('RcvLinkSpeed', '1G')],
    ['Direction missing', withField('Direction', undefined)],
    ['SendControlState 3', withField('SendControlState', 3)],
    ['RcvControlState 1.5', withField('RcvControlState', 1.5)],
    ['SendAuthorizationState 4', withField('SendAuthorizationState', 4)],
    ['RcvAuthorizationState -1', withField('RcvAuthorizationState', -1)],
  ])('INVALID_DATA: %s; nothing is allocated, PortNumber not written', (_, c) => {
    const s = portSim();
    c.PortNumber = 42;
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_INVALID_DATA);
    expect(c.PortNumber).toBe(42);
    expect(ruleIds(s)).toEqual(['NdisMAllocatePort_InvalidCharacteristics']);
    expect(allocate(s)).toBe(1);
  });

  it.each([
    ['NULL', null],
    ['a number', 0x1000],
  ])('INVALID_DATA: PortCharacteristics %s (Ddi_InvalidArgument)', (_, value) => {
    const s = portSim();
    expect(NdisMAllocatePort(s.adapter, value as unknown as NDIS_PORT_CHARACTERISTICS)).toBe(
      NDIS_STATUS_INVALID_DATA,
    );
    expect(ruleIds(s)).toEqual(['Ddi_InvalidArgument']);
  });

  it('CLOSING once MiniportHaltEx has begun (D37), inside MiniportHaltEx, and after it returned', () => {
    const s = portSim();
    const inHalt = s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, 0, () =>
      NdisMAllocatePort(s.adapter, characteristics()),
    );
    expect(inHalt).toBe(NDIS_STATUS_CLOSING);
    s.engine.ports.haltStarting(s.adapter);
    const c = characteristics();
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_CLOSING);
    expect(c.PortNumber).toBe(0);
    s.engine.ports.adapterHalted(s.adapter);
    expect(NdisMAllocatePort(s.adapter, characteristics())).toBe(NDIS_STATUS_CLOSING);
    expect(ruleIds(s)).toEqual([
      'NdisMAllocatePort_DuringHalt',
      'NdisMAllocatePort_DuringHalt',
      'NdisMAllocatePort_DuringHalt',
    ]);
    expect([...s.engine.ports.allocated(s.adapter)]).toEqual([]);
  });

  it('CLOSING for a handle that is not a live adapter (forged, a number, a driver handle, stale)', () => {
    const s = portSim();
    const stale = s.engine.createAdapter(s.driver, 'Gone');
    stale.live = false;
    for (const handle of [{}, 0x1234, s.driver, stale]) {
      expect(NdisMAllocatePort(handle, characteristics())).toBe(NDIS_STATUS_CLOSING);
    }
    expect(ruleIds(s)).toEqual(Array(4).fill('Ndis_InvalidHandle'));
  });

  it('RESOURCES when every number is taken (a lowered limit), and again after a free there is room', () => {
    const s = portSim();
    s.engine.ports.limit = 4;
    const other = s.engine.createAdapter(s.driver, 'Other');
    expect(
      [1, 2, 3].map(() => {
        const c = characteristics();
        NdisMAllocatePort(other, c);
        return c.PortNumber;
      }),
    ).toEqual([1, 2, 3]);
    expect(NdisMAllocatePort(other, characteristics())).toBe(NDIS_STATUS_RESOURCES);
    expect(NdisMFreePort(other, 2)).toBe(NDIS_STATUS_SUCCESS);
    const c = characteristics();
    expect(NdisMAllocatePort(other, c)).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(2);
  });

  it('RESOURCES at the real limit: number 0xFFFFFF is the last one', () => {
    const s = portSim();
    const numbers = s.engine.ports.tableOf(s.adapter).numbers;
    for (let n = 1; n < 0xffffff; n++) numbers.allocate();
    const c = characteristics();
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(0xffffff);
    expect(NdisMAllocatePort(s.adapter, characteristics())).toBe(NDIS_STATUS_RESOURCES);
    expect(NdisMFreePort(s.adapter, 0xffffff)).toBe(NDIS_STATUS_SUCCESS);
    expect(NdisMAllocatePort(s.adapter, characteristics())).toBe(NDIS_STATUS_SUCCESS);
  });

  it('RESOURCES through the fault hook, asked once per call with the DDI, ordinal and owner', () => {
    const seen: unknown[] = [];
    const s = portSim({
      faults: (r) => {
        seen.push({ ddi: r.ddi, ordinal: r.ordinal, owner: r.owner, length: r.length, priority: r.priority });
        return r.ordinal === 2;
      },
    });
    expect(allocate(s)).toBe(1);
    const c = characteristics();
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_RESOURCES);
    expect(c.PortNumber).toBe(0);
    expect(allocate(s)).toBe(2);
    expect(seen).toEqual(
      [1, 2, 3].map((ordinal) => ({
        ddi: 'NdisMAllocatePort',
        ordinal,
        owner: s.adapter,
        length: 0,
        priority: -1,
      })),
    );
    expect(s.engine.allocationCalls).toBe(3);
  });

  it('before the registration attributes: recorded (D37), the port is still allocated', () => {
    const s = portSim({ noAttributes: true });
    expect(allocate(s)).toBe(1);
    expect(ruleIds(s)).toEqual(['NdisMAllocatePort_BeforeAttributes']);
  });

  it('a frozen PortCharacteristics is not written and does not throw', () => {
    const s = portSim();
    const c = Object.freeze(characteristics());
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(0);
    expect(s.engine.ports.port(s.adapter, 1)).toBeDefined();
  });

  it('is checked against its documented IRQL (<= DISPATCH_LEVEL): Irql_NdisMAllocatePort', () => {
    const s = portSim();
    expect(s.at(2, () => allocate(s))).toBe(1);
    expect(s.engine.violations).toEqual([]);
    s.at(3, () => NdisMAllocatePort(s.adapter, characteristics()));
    expect(ruleIds(s)).toEqual(['Irql_NdisMAllocatePort']);
  });

  it('allocates and frees a million ports through the DDIs, reusing the lowest numbers', () => {
    const s = portSim({ captureAllocationSites: false, captureSites: false });
    const c = characteristics();
    for (let n = 1; n <= 1_000_000; n++) {
      if (NdisMAllocatePort(s.adapter, c) !== NDIS_STATUS_SUCCESS || c.PortNumber !== n)
        throw new Error(`port ${n}`);
    }
    for (let n = 2; n <= 1_000_000; n += 2)
      if (NdisMFreePort(s.adapter, n) !== NDIS_STATUS_SUCCESS) throw new Error(`free ${n}`);
    for (let n = 2; n <= 1_000_000; n += 2) {
      if (NdisMAllocatePort(s.adapter, c) !== NDIS_STATUS_SUCCESS || c.PortNumber !== n)
        throw new Error(`reuse ${n}`);
    }
    for (let n = 1; n <= 1_000_000; n++)
      if (NdisMFreePort(s.adapter, n) !== NDIS_STATUS_SUCCESS) throw new Error(`free ${n}`);
    expect([...s.engine.ports.allocated(s.adapter)]).toEqual([]);
    expect(s.engine.violations).toEqual([]);
  });
});

describe('NdisMFreePort (D11)', () => {
  it('SUCCESS for an allocated, inactive port; the number is reusable', () => {
    const s = portSim();
    const n = allocate(s);
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.ports.port(s.adapter, n)).toBeUndefined();
    expect(allocate(s)).toBe(n);
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    ['0x1000000 (NDIS_MAXIMUM_PORTS)', NDIS_MAXIMUM_PORTS],
    ['0xFFFFFFFF', 0xffffffff],
  ])('INVALID_DATA for PortNumber %s, nothing recorded', (_, n) => {
    const s = portSim();
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_INVALID_DATA);
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['a string', '1'],
  ])('INVALID_DATA for a PortNumber that is not a ULONG (%s): Ddi_InvalidArgument', (_, n) => {
    const s = portSim();
    expect(NdisMFreePort(s.adapter, n as number)).toBe(NDIS_STATUS_INVALID_DATA);
    expect(ruleIds(s)).toEqual(['Ddi_InvalidArgument']);
  });

  it('INVALID_PORT for the default port, recorded; the default port stays', () => {
    const s = portSim();
    expect(NdisMFreePort(s.adapter, 0)).toBe(NDIS_STATUS_INVALID_PORT);
    expect(ruleIds(s)).toEqual(['NdisMFreePort_DefaultPort']);
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Activated);
  });

  it('INVALID_PORT for a number never allocated or already freed, nothing recorded', () => {
    const s = portSim();
    expect(NdisMFreePort(s.adapter, 1)).toBe(NDIS_STATUS_INVALID_PORT);
    const n = allocate(s);
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_SUCCESS);
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_INVALID_PORT);
    expect(NdisMFreePort(s.adapter, 0xffffff)).toBe(NDIS_STATUS_INVALID_PORT);
    expect(s.engine.violations).toEqual([]);
  });

  it('INVALID_PORT_STATE for an active port, recorded; after deactivation it frees', () => {
    const s = portSim();
    const n = allocate(s);
    expect(NdisMNetPnPEvent(s.adapter, activation([n]))).toBe(NDIS_STATUS_SUCCESS);
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(ruleIds(s)).toEqual(['NdisMFreePort_ActivePort']);
    expect(s.engine.ports.port(s.adapter, n)?.state).toBe(PortState.Activated);
    expect(NdisMNetPnPEvent(s.adapter, deactivation([n]))).toBe(NDIS_STATUS_SUCCESS);
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_SUCCESS);
  });

  it("INVALID_PORT for a handle that is not a live adapter (Ndis_InvalidHandle); another adapter's port is unknown", () => {
    const s = portSim();
    const n = allocate(s);
    expect(NdisMFreePort({}, n)).toBe(NDIS_STATUS_INVALID_PORT);
    const other = s.engine.createAdapter(s.driver, 'Other');
    expect(NdisMFreePort(other, n)).toBe(NDIS_STATUS_INVALID_PORT);
    expect(ruleIds(s)).toEqual(['Ndis_InvalidHandle']);
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_SUCCESS);
  });

  it('is checked against its documented IRQL (<= DISPATCH_LEVEL): Irql_Miniport_Driver_Function', () => {
    const s = portSim();
    const n = allocate(s);
    s.at(3, () => NdisMFreePort(s.adapter, n));
    expect(ruleIds(s)).toEqual(['Irql_Miniport_Driver_Function']);
  });
});

describe('the default port and the lifecycle hooks', () => {
  it('NDIS activates the default port at the registration attributes unless the driver controls it', () => {
    const s = portSim();
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Activated);
    const c = portSim({ controlsDefaultPort: true });
    expect(c.engine.ports.port(c.adapter, 0)?.state).toBe(PortState.Allocated);
  });

  it('before the registration attributes the default port exists, inactive', () => {
    const s = portSim({ noAttributes: true });
    expect(s.engine.ports.tableOf(s.adapter).get(0)?.state).toBe(PortState.Allocated);
  });

  it('after the halt NDIS freed the default port and forgot every port; a new initialization starts afresh', () => {
    const s = portSim();
    const n = allocate(s);
    s.engine.ports.haltStarting(s.adapter);
    s.engine.ports.adapterHalted(s.adapter);
    expect(s.engine.ports.port(s.adapter, 0)).toBeUndefined();
    expect(s.engine.ports.port(s.adapter, n)).toBeUndefined();
    expect(NdisMFreePort(s.adapter, n)).toBe(NDIS_STATUS_INVALID_PORT);
    s.engine.ports.registrationAttributesSet(s.adapter);
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Activated);
    expect(allocate(s)).toBe(1);
  });

  it('a new MiniportInitializeEx after the halt works on a fresh table, before and after the attributes', () => {
    const s = portSim();
    allocate(s);
    s.engine.ports.adapterHalted(s.adapter);
    s.adapter.registrationAttributesSet = false;
    const c = characteristics();
    const status = s.engine.invoke('MiniportInitializeEx', s.driver, s.adapter, 0, () =>
      NdisMAllocatePort(s.adapter, c),
    );
    expect(status).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(1);
    expect(ruleIds(s)).toEqual(['NdisMAllocatePort_BeforeAttributes']);
    s.adapter.registrationAttributesSet = true;
    s.engine.ports.registrationAttributesSet(s.adapter);
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Activated);
    expect(s.engine.ports.port(s.adapter, 1)?.state).toBe(PortState.Allocated);
  });

  it('a second registrationAttributesSet in one initialization does not reactivate a deactivated default port', () => {
    const s = portSim();
    expect(NdisMNetPnPEvent(s.adapter, deactivation([0]))).toBe(NDIS_STATUS_SUCCESS);
    s.engine.ports.registrationAttributesSet(s.adapter);
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Allocated);
  });
});
