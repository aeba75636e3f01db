/**
 * NdisMNetPnPEvent_InvalidNotification: a miniport indicates only legal NET_PNP_EVENT_NOTIFICATIONs.
 * NDIS refuses an illegal one (INVALID_PARAMETER; NOT_SUPPORTED for an intermediate-driver event)
 * and no port changes state; under the bug-check policy 0x7C / 0x22 (0x21 for a malformed header).
 */
import { describe, expect, it } from 'vitest';
import { PortState } from '../../src/engine/ports-state.js';
import {
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_INVALID_PORT,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_SUCCESS,
  NetEventQueryRemoveDevice,
} from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import type { NDIS_PORT } from '../../src/ndis/types.js';
import { activation, characteristics, deactivation, portSim } from '../engine/ports-helpers.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisMNetPnPEvent_InvalidNotification';

describe('NdisMNetPnPEvent_InvalidNotification', () => {
  it('breaks: an activation list whose Next loops back is refused (no hang) and recorded as 0x7C / 0x22', () => {
    const s = portSim();
    const c = characteristics();
    s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c));
    const n = activation([c.PortNumber]);
    const first = n.NetPnPEvent.Buffer as NDIS_PORT;
    first.Next = first;
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, n))).toBe(NDIS_STATUS_INVALID_PARAMETER);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisMNetPnPEvent',
      irql: PASSIVE_LEVEL,
      args: {
        MiniportAdapterHandle: 'TestAdapter',
        NetPnPEventNotification: {
          Header: { Type: '0x80', Revision: 1, Size: 164 },
          PortNumber: 0,
          Flags: '0x0',
          NetEvent: 'NetEventPortActivation (10)',
          Buffer: '(NDIS_PORT list)',
          BufferLength: 96,
        },
      },
      message: ['NDIS_PORT.Next', 'loops back', 'NDIS_STATUS_INVALID_PARAMETER', 'no port changes state'],
      allocationSite: false,
    });
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x22, 0, 0, 0] });
    expect(s.engine.ports.port(s.adapter, 1)?.state).toBe(PortState.Allocated);
  });

  it('breaks: a deactivation with BufferLength 0 (the documented INVALID_PARAMETER)', () => {
    const s = portSim();
    const n = deactivation([0]);
    n.NetPnPEvent.BufferLength = 0;
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, n))).toBe(NDIS_STATUS_INVALID_PARAMETER);
    expect(theFinding(s, RULE).message).toContain('non-zero BufferLength');
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Activated);
  });

  it('breaks: an event code only intermediate drivers may raise: NOT_SUPPORTED', () => {
    const s = portSim();
    const n = deactivation([0]);
    n.NetPnPEvent = { NetEvent: NetEventQueryRemoveDevice, Buffer: null, BufferLength: 0 };
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, n))).toBe(NDIS_STATUS_NOT_SUPPORTED);
    const v = theFinding(s, RULE);
    expect(v.message).toContain('NetEventQueryRemoveDevice (2)');
    expect(v.message).toContain('intermediate drivers');
    expect(v.message).toContain('NDIS_STATUS_NOT_SUPPORTED');
  });

  it('breaks: under the bug-check policy a short notification header stops with 0x7C / 0x21 (D17)', () => {
    const s = portSim({ policy: 'bugcheck' });
    const n = activation([0]);
    n.Header.Size = 100;
    const b = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, n)));
    expect(b.info?.code).toBe(0x7c);
    expect(b.info?.parameters[0]).toBe(0x21);
  });

  it('keeps: well-formed port events, whatever their port statuses', () => {
    const s = portSim();
    const c = characteristics();
    s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c));
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([c.PortNumber])))).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([9])))).toBe(
      NDIS_STATUS_INVALID_PORT,
    );
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, deactivation([c.PortNumber])))).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expectNoFinding(s, RULE);
  });
});
