/** NdisMAllocatePort_BeforeAttributes: ports are allocated only after the registration attributes (D37: recorded, allocated). */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMAllocatePort } from '../../src/ndis/ports.js';
import { characteristics, portSim } from '../engine/ports-helpers.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisMAllocatePort_BeforeAttributes';

describe('NdisMAllocatePort_BeforeAttributes', () => {
  it('breaks: NdisMAllocatePort from MiniportInitializeEx before NdisMSetMiniportAttributes; the port is allocated all the same', () => {
    const s = portSim({ noAttributes: true });
    const c = characteristics();
    const status = s.engine.invoke('MiniportInitializeEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisMAllocatePort(s.adapter, c),
    );
    expect(status).toBe(NDIS_STATUS_SUCCESS);
    expect(c.PortNumber).toBe(1);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMAllocatePort',
      irql: PASSIVE_LEVEL,
      callback: 'MiniportInitializeEx',
      args: {
        NdisMiniportHandle: 'TestAdapter',
        PortCharacteristics: {
          Header: { Type: '0x80', Revision: 1, Size: 60 },
          PortNumber: 0,
          Flags: '0x0',
          Type: 2,
        },
      },
      message: ['before NdisMSetMiniportAttributes', 'D37'],
      allocationSite: false,
    });
  });

  it('keeps: NdisMAllocatePort after the registration attributes', () => {
    const s = portSim();
    expect(s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, characteristics()))).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expectNoFinding(s, RULE);
  });
});
