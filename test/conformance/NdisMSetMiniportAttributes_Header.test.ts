import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_BAD_VERSION, NDIS_STATUS_SUCCESS, NdisMSetMiniportAttributes } from '../../src/index.js';
import { type Sim, sim } from '../harness.js';
import {
  expectLifecycleFinding,
  generalAttributes,
  ndisBugCheck,
  registrationAttributes,
} from '../host/driver-kit.js';
import { catchBugCheck } from './helpers.js';

const ID = 'NdisMSetMiniportAttributes_Header';

function initializing(options = {}): Sim {
  const s = sim(options);
  s.engine.lifecycle.initializeBegin(s.adapter);
  return s;
}

function set(s: Sim, attributes: unknown): number {
  return s.at(0, () => NdisMSetMiniportAttributes(s.adapter, attributes as never), 'MiniportInitializeEx');
}

describe('NdisMSetMiniportAttributes_Header', () => {
  it('breaks: registration attributes with a Size below the revision — BAD_VERSION, nothing set, 0x7C / 0x21 (D17)', () => {
    const s = initializing();
    const attributes = { ...registrationAttributes({}), Header: { Type: 0x9e, Revision: 1, Size: 20 } };
    expect(set(s, attributes)).toBe(NDIS_STATUS_BAD_VERSION);
    expect(s.adapter.registrationAttributesSet).toBe(false);
    expect(s.adapter.context).toBeNull();
    expectLifecycleFinding(s.findings(ID)[0], ID, {
      ddi: 'NdisMSetMiniportAttributes',
      message: ["Header.Size below its revision's size", 'expected >= 28', 'NDIS_STATUS_BAD_VERSION'],
      args: {
        NdisMiniportHandle: 'TestAdapter',
        MiniportAttributes: 'NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES',
        'Header.Type': '0x9e',
        'Header.Revision': 1,
        'Header.Size': 20,
      },
      adapter: 'TestAdapter',
      callback: 'MiniportInitializeEx',
      bugCheck: ndisBugCheck(0x21, 1),
    });
  });

  it('breaks: an unknown Type, an unknown revision, something that is not a structure', () => {
    const s = initializing();
    set(s, registrationAttributes({}));
    set(s, generalAttributes());
    expect(set(s, { Header: { Type: 0x55, Revision: 1, Size: 64 } })).toBe(NDIS_STATUS_BAD_VERSION);
    expect(set(s, { ...generalAttributes(), Header: { Type: 0x9f, Revision: 3, Size: 300 } })).toBe(
      NDIS_STATUS_BAD_VERSION,
    );
    expect(set(s, 7)).toBe(NDIS_STATUS_BAD_VERSION);
    expect(s.findings(ID).map((v) => v.message)).toEqual([
      expect.stringContaining('selects no member of NDIS_MINIPORT_ADAPTER_ATTRIBUTES'),
      expect.stringContaining('Header.Revision the structure does not have (expected 1..2)'),
      expect.stringContaining('is not a structure opening with an NDIS_OBJECT_HEADER'),
    ]);
    expect(s.findings(ID)[2].args).toEqual({ NdisMiniportHandle: 'TestAdapter', MiniportAttributes: '0x7' });
  });

  it('breaks: under the bug-check policy, a malformed header stops the run with 0x7C / 0x21', () => {
    const s = initializing({ policy: 'bugcheck' });
    const bugCheck = catchBugCheck(() => set(s, { Header: { Type: 0x9f, Revision: 1, Size: 8 } }));
    expect(bugCheck.info).toEqual(ndisBugCheck(0x21, 1));
  });

  it('keeps: each member at each revision with its size or larger (sizeof, D17)', () => {
    const s = initializing();
    expect(set(s, registrationAttributes({}))).toBe(NDIS_STATUS_SUCCESS);
    expect(set(s, { ...registrationAttributes({}), Header: { Type: 0x9e, Revision: 2, Size: 32 } })).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(set(s, generalAttributes())).toBe(NDIS_STATUS_SUCCESS);
    expect(set(s, { ...generalAttributes(), Header: { Type: 0x9f, Revision: 1, Size: 216 } })).toBe(
      NDIS_STATUS_SUCCESS,
    );
    for (const [revision, size] of [
      [1, 16],
      [2, 48],
      [3, 80],
      [4, 96],
    ]) {
      expect(set(s, { Header: { Type: 0xaf, Revision: revision, Size: size } })).toBe(NDIS_STATUS_SUCCESS);
    }
    expect(set(s, { Header: { Type: 0xa0, Revision: 1, Size: 40 } })).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.violations).toEqual([]);
  });
});
