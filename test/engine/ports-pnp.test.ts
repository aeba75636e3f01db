/**
 * Every status of NdisMNetPnPEvent for a miniport (SPEC §7.4–§7.6, D12–D15, D17): port activation
 * and deactivation (all or nothing), the NDIS 6.50 events, the codes a miniport may not raise, and
 * the notification's own checks. Each refused call leaves every port as it was.
 */
import { describe, expect, it } from 'vitest';
import { PortState } from '../../src/engine/ports-state.js';
import {
  NDIS_MAXIMUM_PORTS,
  NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_INVALID_PORT,
  NDIS_STATUS_INVALID_PORT_STATE,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NET_EVENT_FLAGS_VPORT_ID_VALID,
  NET_PNP_EVENT_NOTIFICATION_REVISION_2,
  NetEventAllowBindsAbove,
  NetEventAllowStart,
  NetEventInhibitBindsAbove,
  NetEventMaximum,
  NetEventPause,
  NetEventQueryPower,
  NetEventRequirePause,
  NetEventSetPower,
} from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort, NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import type { NDIS_PORT, NET_PNP_EVENT_NOTIFICATION } from '../../src/ndis/types.js';
import type { Sim } from '../harness.js';
import {
  activation,
  characteristics,
  deactivation,
  notificationHeader,
  portList,
  portSim,
  ruleIds,
} from './ports-helpers.js';

const INVALID = 'NdisMNetPnPEvent_InvalidNotification';

/** `count` allocated ports (1..count). */
function ports(s: Sim, count: number): number[] {
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const c = characteristics();
    expect(NdisMAllocatePort(s.adapter, c)).toBe(NDIS_STATUS_SUCCESS);
    numbers.push(c.PortNumber);
  }
  return numbers;
}

/** The state of each listed port (undefined: no such port). */
function states(s: Sim, numbers: readonly number[]): (number | undefined)[] {
  return numbers.map((n) => s.engine.ports.port(s.adapter, n)?.state);
}

const A = PortState.Activated;
const L = PortState.Allocated;

/** Calls NdisMNetPnPEvent at PASSIVE as the adapter's callback. */
function pnp(s: Sim, notification: unknown): number {
  return s.at(0, () => NdisMNetPnPEvent(s.adapter, notification as NET_PNP_EVENT_NOTIFICATION));
}

function mutate(
  n: NET_PNP_EVENT_NOTIFICATION,
  change: (n: Record<string, unknown>) => void,
): NET_PNP_EVENT_NOTIFICATION {
  change(n as unknown as Record<string, unknown>);
  return n;
}

describe('NetEventPortActivation', () => {
  it('SUCCESS: every listed port becomes active (one, then three)', () => {
    const s = portSim();
    const [a, b, c, d] = ports(s, 4);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, activation([d, b, c]))).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [a, b, c, d])).toEqual([A, A, A, A]);
    expect(s.engine.violations).toEqual([]);
  });

  it('SUCCESS: BufferLength needs to cover one NDIS_PORT only (D12); a revision-2 header is accepted', () => {
    const s = portSim();
    const [a, b] = ports(s, 2);
    const n = activation([a, b]);
    n.NetPnPEvent.BufferLength = 96;
    n.Header = {
      Type: 0x80,
      Revision: NET_PNP_EVENT_NOTIFICATION_REVISION_2,
      Size: NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2,
    };
    n.Flags = NET_EVENT_FLAGS_VPORT_ID_VALID;
    expect(pnp(s, n)).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [a, b])).toEqual([A, A]);
  });

  it('INVALID_PORT: a port never allocated, already freed, or beyond 0xFFFFFF; no port changes state', () => {
    const s = portSim();
    const [a, b] = ports(s, 2);
    expect(NdisMFreePort(s.adapter, b)).toBe(NDIS_STATUS_SUCCESS);
    for (const unknown of [b, 99, NDIS_MAXIMUM_PORTS, 0xffffffff]) {
      expect(pnp(s, activation([a, unknown]))).toBe(NDIS_STATUS_INVALID_PORT);
    }
    expect(states(s, [a])).toEqual([L]);
    expect(s.engine.violations).toEqual([]);
  });

  it('INVALID_PORT: the default port with other ports (D13), for a driver that controls it', () => {
    const s = portSim({ controlsDefaultPort: true });
    const [a] = ports(s, 1);
    expect(pnp(s, activation([a, 0]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(pnp(s, activation([0, 0]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(states(s, [0, a])).toEqual([L, L]);
    expect(pnp(s, activation([0]))).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [0])).toEqual([A]);
  });

  it('INVALID_PORT_STATE: an active port (D14), a port listed twice, the default port NDIS activated', () => {
    const s = portSim();
    const [a, b] = ports(s, 2);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, activation([b, a]))).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(pnp(s, activation([b, b]))).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(pnp(s, activation([0]))).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(states(s, [0, a, b])).toEqual([A, A, L]);
    expect(s.engine.violations).toEqual([]);
  });

  it('precedence: malformed > unknown port > wrong state, whatever the order in the list', () => {
    const s = portSim();
    const [a] = ports(s, 1);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, activation([a, 50]))).toBe(NDIS_STATUS_INVALID_PORT);
    const n = activation([50, a, 51]);
    const third = ((n.NetPnPEvent.Buffer as NDIS_PORT).Next as NDIS_PORT).Next as NDIS_PORT;
    third.PortCharacteristics.Flags = 8;
    expect(pnp(s, n)).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(ruleIds(s)).toEqual([INVALID]);
  });

  it.each([
    [
      'a self-loop',
      (list: NDIS_PORT) => {
        list.Next = list;
      },
    ],
    [
      'a loop after a tail of two',
      (list: NDIS_PORT) => {
        const third = (list.Next as NDIS_PORT).Next as NDIS_PORT;
        const fourth = { Next: null, PortCharacteristics: characteristics({ PortNumber: 4 }) } as NDIS_PORT;
        third.Next = fourth;
        fourth.Next = list.Next;
      },
    ],
  ])('INVALID_PARAMETER: the Next list has %s (detected, no hang, recorded)', (_, loop) => {
    const s = portSim();
    ports(s, 4);
    const n = activation([1, 2, 3]);
    loop(n.NetPnPEvent.Buffer as NDIS_PORT);
    expect(pnp(s, n)).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(ruleIds(s)).toEqual([INVALID]);
    expect(states(s, [1, 2, 3, 4])).toEqual([L, L, L, L]);
  });

  it.each([
    [
      'Buffer NULL',
      (n: Record<string, unknown>) => {
        (n.NetPnPEvent as Record<string, unknown>).Buffer = null;
      },
    ],
    [
      'BufferLength 0',
      (n: Record<string, unknown>) => {
        (n.NetPnPEvent as Record<string, unknown>).BufferLength = 0;
      },
    ],
    [
      'BufferLength 95 (< sizeof(NDIS_PORT), D12)',
      (n: Record<string, unknown>) => {
        (n.NetPnPEvent as Record<string, unknown>).BufferLength = 95;
      },
    ],
    [
      'BufferLength not a ULONG',
      (n: Record<string, unknown>) => {
        (n.NetPnPEvent as Record<string, unknown>).BufferLength = -96;
      },
    ],
    [
      'a Buffer of port numbers',
      (n: Record<string, unknown>) => {
        (n.NetPnPEvent as Record<string, unknown>).Buffer = [1];
      },
    ],
    [
      'Next a forged pointer',
      (n: Record<string, unknown>) => {
        ((n.NetPnPEvent as Record<string, unknown>).Buffer as Record<string, unknown>).Next = 0x1000;
      },
    ],
    [
      'an entry without PortCharacteristics',
      (n: Record<string, unknown>) => {
        ((n.NetPnPEvent as Record<string, unknown>).Buffer as Record<string, unknown>).PortCharacteristics =
          null;
      },
    ],
    [
      'an entry with a bad characteristics header',
      (n: Record<string, unknown>) => {
        const list = (n.NetPnPEvent as Record<string, unknown>).Buffer as NDIS_PORT;
        list.PortCharacteristics.Header.Revision = 2;
      },
    ],
    [
      'an entry with PortNumber not a ULONG',
      (n: Record<string, unknown>) => {
        const list = (n.NetPnPEvent as Record<string, unknown>).Buffer as NDIS_PORT;
        list.PortCharacteristics.PortNumber = -1;
      },
    ],
    [
      'PortNumber 1 (must be 0 in a port event)',
      (n: Record<string, unknown>) => {
        n.PortNumber = 1;
      },
    ],
    [
      'Flags with a reserved bit',
      (n: Record<string, unknown>) => {
        n.Flags = 1;
      },
    ],
    [
      'Flags missing',
      (n: Record<string, unknown>) => {
        n.Flags = undefined;
      },
    ],
    [
      'Header.Type 0x81',
      (n: Record<string, unknown>) => {
        (n.Header as Record<string, unknown>).Type = 0x81;
      },
    ],
    [
      'Header.Revision 3',
      (n: Record<string, unknown>) => {
        (n.Header as Record<string, unknown>).Revision = 3;
      },
    ],
    [
      'Header.Size 163 for revision 1 (D17)',
      (n: Record<string, unknown>) => {
        (n.Header as Record<string, unknown>).Size = 163;
      },
    ],
    [
      'Header.Size 171 for revision 2 (D17)',
      (n: Record<string, unknown>) => {
        n.Header = { Type: 0x80, Revision: 2, Size: 171 };
      },
    ],
    [
      'NetPnPEvent missing',
      (n: Record<string, unknown>) => {
        n.NetPnPEvent = undefined;
      },
    ],
  ])('INVALID_PARAMETER: %s (recorded; no port changes state)', (_, change) => {
    const s = portSim();
    const [a] = ports(s, 1);
    expect(pnp(s, mutate(activation([a]), change))).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(ruleIds(s)).toEqual([INVALID]);
    expect(states(s, [a])).toEqual([L]);
  });

  it('RESOURCES through the fault hook (§9.2); nothing changes', () => {
    const s = portSim({ faults: (r) => r.ddi === 'NdisMNetPnPEvent' });
    const [a] = ports(s, 1);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_RESOURCES);
    expect(states(s, [a])).toEqual([L]);
    expect(s.engine.request.ddi).toBe('NdisMNetPnPEvent');
    expect(s.engine.request.owner).toBe(s.adapter);
  });

  it('the fault hook is not asked for a call that fails anyway', () => {
    let asked = 0;
    const s = portSim({ faults: () => ++asked < 0 });
    expect(pnp(s, activation([5]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(asked).toBe(0);
  });
});

describe('NetEventPortDeactivation', () => {
  it('SUCCESS: every listed port goes back to allocated (JS array and Uint32Array)', () => {
    const s = portSim();
    const [a, b, c] = ports(s, 3);
    expect(pnp(s, activation([a, b, c]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, deactivation([c, a]))).toBe(NDIS_STATUS_SUCCESS);
    const n = deactivation([]);
    n.NetPnPEvent.Buffer = Uint32Array.of(b);
    n.NetPnPEvent.BufferLength = 4;
    expect(pnp(s, n)).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [a, b, c])).toEqual([L, L, L]);
    expect(pnp(s, activation([b]))).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.violations).toEqual([]);
  });

  it('SUCCESS: BufferLength / 4 elements are read (a remainder is ignored, extra elements too)', () => {
    const s = portSim();
    const [a, b] = ports(s, 2);
    expect(pnp(s, activation([a, b]))).toBe(NDIS_STATUS_SUCCESS);
    const n = deactivation([a, b]);
    n.NetPnPEvent.BufferLength = 6;
    expect(pnp(s, n)).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [a, b])).toEqual([L, A]);
  });

  it('SUCCESS: the default port alone, whoever activated it; it can then be reactivated', () => {
    const s = portSim();
    expect(pnp(s, deactivation([0]))).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [0])).toEqual([L]);
    expect(pnp(s, activation([0]))).toBe(NDIS_STATUS_SUCCESS);
    expect(states(s, [0])).toEqual([A]);
  });

  it('INVALID_PORT: an unknown port, the default port not alone; nothing changes', () => {
    const s = portSim();
    const [a] = ports(s, 1);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, deactivation([a, 7]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(pnp(s, deactivation([a, NDIS_MAXIMUM_PORTS]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(pnp(s, deactivation([0, a]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(states(s, [0, a])).toEqual([A, A]);
    expect(s.engine.violations).toEqual([]);
  });

  it('INVALID_PORT_STATE: an inactive port, a port listed twice, an inactive default port', () => {
    const s = portSim({ controlsDefaultPort: true });
    const [a, b] = ports(s, 2);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, deactivation([a, b]))).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(pnp(s, deactivation([a, a]))).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(pnp(s, deactivation([0]))).toBe(NDIS_STATUS_INVALID_PORT_STATE);
    expect(states(s, [0, a, b])).toEqual([L, A, L]);
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    [
      'Buffer NULL',
      (e: Record<string, unknown>) => {
        e.Buffer = null;
      },
    ],
    [
      'BufferLength 0',
      (e: Record<string, unknown>) => {
        e.BufferLength = 0;
      },
    ],
    [
      'BufferLength 3 (less than one port number)',
      (e: Record<string, unknown>) => {
        e.BufferLength = 3;
      },
    ],
    [
      'BufferLength longer than the array',
      (e: Record<string, unknown>) => {
        e.BufferLength = 8;
      },
    ],
    [
      'an element that is not a ULONG',
      (e: Record<string, unknown>) => {
        e.Buffer = [-1];
      },
    ],
    [
      'an NDIS_PORT list as Buffer',
      (e: Record<string, unknown>) => {
        e.Buffer = portList([1]);
      },
    ],
  ])('INVALID_PARAMETER: %s (recorded)', (_, change) => {
    const s = portSim();
    const [a] = ports(s, 1);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    const n = deactivation([a]);
    change(n.NetPnPEvent as unknown as Record<string, unknown>);
    expect(pnp(s, n)).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(ruleIds(s)).toEqual([INVALID]);
    expect(states(s, [a])).toEqual([A]);
  });

  it('RESOURCES through the fault hook; the port stays active', () => {
    const s = portSim({ faults: (r) => r.ddi === 'NdisMNetPnPEvent' && r.ordinal > 2 });
    const [a] = ports(s, 1);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_SUCCESS);
    expect(pnp(s, deactivation([a]))).toBe(NDIS_STATUS_RESOURCES);
    expect(states(s, [a])).toEqual([A]);
  });
});

describe('other event codes', () => {
  function event(code: unknown, revision: 1 | 2, buffer: unknown = null): NET_PNP_EVENT_NOTIFICATION {
    return {
      Header:
        revision === 2
          ? { Type: 0x80, Revision: 2, Size: NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2 }
          : notificationHeader(),
      PortNumber: 0,
      NetPnPEvent: { NetEvent: code as number, Buffer: buffer as null, BufferLength: 0 },
      Flags: 0,
    };
  }

  it.each([NetEventAllowBindsAbove, NetEventInhibitBindsAbove, NetEventAllowStart, NetEventRequirePause])(
    'NDIS 6.50 event %i: SUCCESS with revision 2 and a NULL Buffer; INVALID_PARAMETER otherwise',
    (code) => {
      const s = portSim();
      expect(pnp(s, event(code, 2))).toBe(NDIS_STATUS_SUCCESS);
      expect(s.engine.violations).toEqual([]);
      expect(pnp(s, event(code, 1))).toBe(NDIS_STATUS_INVALID_PARAMETER);
      expect(pnp(s, event(code, 2, [1]))).toBe(NDIS_STATUS_INVALID_PARAMETER);
      expect(ruleIds(s)).toEqual([INVALID, INVALID]);
    },
  );

  it.each([NetEventSetPower, NetEventQueryPower, NetEventPause, 12, 17, 22])(
    'event %i is for intermediate drivers: NOT_SUPPORTED for a miniport (recorded)',
    (code) => {
      const s = portSim();
      expect(pnp(s, event(code, 2))).toBe(NDIS_STATUS_NOT_SUPPORTED);
      expect(ruleIds(s)).toEqual([INVALID]);
    },
  );

  it.each([NetEventMaximum, 99, -1, 2.5, 'NetEventPortActivation'])(
    'NetEvent %s is no event code: INVALID_PARAMETER',
    (code) => {
      const s = portSim();
      expect(pnp(s, event(code, 1))).toBe(NDIS_STATUS_INVALID_PARAMETER);
      expect(ruleIds(s)).toEqual([INVALID]);
    },
  );
});

describe('NdisMNetPnPEvent arguments and context', () => {
  it('INVALID_PARAMETER for a handle that is not a live adapter (Ndis_InvalidHandle)', () => {
    const s = portSim();
    expect(s.at(0, () => NdisMNetPnPEvent({}, activation([1])))).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(s.at(0, () => NdisMNetPnPEvent(s.driver, activation([1])))).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(ruleIds(s)).toEqual(['Ndis_InvalidHandle', 'Ndis_InvalidHandle']);
  });

  it.each([
    ['NULL', null],
    ['a number', 0x2000],
  ])('INVALID_PARAMETER for NetPnPEventNotification %s (Ddi_InvalidArgument)', (_, value) => {
    const s = portSim();
    expect(pnp(s, value)).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(ruleIds(s)).toEqual(['Ddi_InvalidArgument']);
  });

  it('is checked against PASSIVE_LEVEL (Irql_Protocol_Driver_Function); the call proceeds', () => {
    const s = portSim();
    const [a] = ports(s, 1);
    expect(s.at(2, () => NdisMNetPnPEvent(s.adapter, activation([a])))).toBe(NDIS_STATUS_SUCCESS);
    expect(ruleIds(s)).toEqual(['Irql_Protocol_Driver_Function']);
    expect(states(s, [a])).toEqual([A]);
  });

  it('after the halt every port number is unknown, the default port too', () => {
    const s = portSim();
    const [a] = ports(s, 1);
    s.engine.ports.adapterHalted(s.adapter);
    expect(pnp(s, activation([a]))).toBe(NDIS_STATUS_INVALID_PORT);
    expect(pnp(s, deactivation([0]))).toBe(NDIS_STATUS_INVALID_PORT);
  });
});
