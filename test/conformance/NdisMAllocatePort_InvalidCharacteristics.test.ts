/**
 * NdisMAllocatePort_InvalidCharacteristics: NdisMAllocatePort returns NDIS_STATUS_INVALID_DATA for
 * a malformed NDIS_PORT_CHARACTERISTICS and the verifier records it (header faults as 0x7C / 0x21,
 * D16, D17).
 */
import { describe, expect, it } from 'vitest';
import {
  NDIS_STATUS_INVALID_DATA,
  NDIS_STATUS_SUCCESS,
  NdisPortTypeBridge,
} from '../../src/ndis/constants.js';
import { NdisMAllocatePort } from '../../src/ndis/ports.js';
import { characteristics, portSim } from '../engine/ports-helpers.js';
import {
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  PASSIVE_LEVEL,
  theFinding,
} from './helpers.js';

const RULE = 'NdisMAllocatePort_InvalidCharacteristics';

describe('NdisMAllocatePort_InvalidCharacteristics', () => {
  it('breaks: Header.Size below NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1 (D17), bug check 0x7C / 0x21', () => {
    const s = portSim();
    const c = characteristics({ Header: { Type: 0x80, Revision: 1, Size: 56 } });
    expect(s.at(DISPATCH_LEVEL, () => NdisMAllocatePort(s.adapter, c))).toBe(NDIS_STATUS_INVALID_DATA);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisMAllocatePort',
      irql: DISPATCH_LEVEL,
      args: {
        NdisMiniportHandle: 'TestAdapter',
        PortCharacteristics: {
          Header: { Type: '0x80', Revision: 1, Size: 56 },
          PortNumber: 0,
          Flags: '0x0',
          Type: 2,
        },
      },
      message: [
        'PortCharacteristics.Header.Size is 56',
        'at least NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1 (60)',
        'NDIS_STATUS_INVALID_DATA',
      ],
      allocationSite: false,
    });
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x21, 0, 0, 0] });
  });

  it('breaks: a port type reserved for system use (no bug-check code for a member)', () => {
    const s = portSim();
    const c = characteristics({ Type: NdisPortTypeBridge });
    expect(s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c))).toBe(NDIS_STATUS_INVALID_DATA);
    const v = theFinding(s, RULE);
    expect(v.message).toContain('PortCharacteristics.Type is 1');
    expect(v.message).toContain('reserved for system use');
    expect(v.bugCheck).toBeNull();
  });

  it('breaks: under the bug-check policy a wrong Header.Type stops the run with 0x7C / 0x21', () => {
    const s = portSim({ policy: 'bugcheck' });
    const c = characteristics({ Header: { Type: 0x9d, Revision: 1, Size: 60 } });
    const b = catchBugCheck(() => s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c)));
    expect(b.info?.code).toBe(0x7c);
    expect(b.info?.parameters[0]).toBe(0x21);
  });

  it('keeps: a well-formed structure, Type 0x9C accepted (D16) and Size = sizeof (D17)', () => {
    const s = portSim();
    const c = characteristics({ Header: { Type: 0x9c, Revision: 1, Size: 64 } });
    expect(s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c))).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
