/**
 * NdisMNetPnPEventInOIDRequest (official): NdisMNetPnPEvent is not called from MiniportOidRequest,
 * nor while an OID request the driver pended is outstanding (it deadlocks); the call proceeds.
 */
import { describe, expect, it } from 'vitest';
import { PortState } from '../../src/engine/ports-state.js';
import { NDIS_STATUS_PENDING, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMNetPnPEvent, NdisMOidRequestComplete } from '../../src/ndis/ports.js';
import { activation, characteristics, deactivation, portSim } from '../engine/ports-helpers.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisMNetPnPEventInOIDRequest';

describe('NdisMNetPnPEventInOIDRequest', () => {
  it('breaks: MiniportOidRequest calls NdisMNetPnPEvent; the event still takes effect', () => {
    const s = portSim();
    const c = characteristics();
    s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c));
    const status = s.engine.oid.request(
      s.adapter,
      () => NdisMNetPnPEvent(s.adapter, activation([c.PortNumber])),
      { Oid: 1 },
    );
    expect(status).toBe(NDIS_STATUS_SUCCESS);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMNetPnPEvent',
      irql: PASSIVE_LEVEL,
      callback: 'MiniportOidRequest',
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
      message: ['from MiniportOidRequest', 'deadlock', 'proceeds'],
      allocationSite: false,
    });
    expect(s.engine.ports.port(s.adapter, c.PortNumber)?.state).toBe(PortState.Activated);
  });

  it('breaks: NdisMNetPnPEvent while a pended OID request is not completed', () => {
    const s = portSim();
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, {});
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, deactivation([0])))).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(theFinding(s, RULE).message).toContain('not yet completed with NdisMOidRequestComplete');
  });

  it('keeps: NdisMNetPnPEvent after NdisMOidRequestComplete, and a pended request on another adapter', () => {
    const s = portSim();
    const request = {};
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request);
    const other = s.engine.createAdapter(s.driver, 'Other');
    s.engine.oid.request(other, () => NDIS_STATUS_PENDING, {});
    s.at(PASSIVE_LEVEL, () => NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS));
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, deactivation([0])))).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expectNoFinding(s, RULE);
  });
});
