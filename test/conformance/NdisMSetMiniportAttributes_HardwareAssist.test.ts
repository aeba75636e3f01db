import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_SUCCESS, NdisMSetMiniportAttributes } from '../../src/index.js';
import { type Sim, sim } from '../harness.js';
import { expectLifecycleFinding, generalAttributes, registrationAttributes } from '../host/driver-kit.js';

const ID = 'NdisMSetMiniportAttributes_HardwareAssist';
const CAPS = { capabilities: true };

function ready(): Sim {
  const s = sim();
  s.engine.lifecycle.initializeBegin(s.adapter);
  for (const a of [registrationAttributes({}), generalAttributes()]) {
    s.at(0, () => NdisMSetMiniportAttributes(s.adapter, a as never), 'MiniportInitializeEx');
  }
  return s;
}

function assist(s: Sim, revision: number, size: number, fields: Record<string, unknown>): number {
  const attributes = {
    Header: { Type: 0xaf, Revision: revision, Size: size },
    HDSplitAttributes: null,
    ...fields,
  };
  return s.at(0, () => NdisMSetMiniportAttributes(s.adapter, attributes as never), 'MiniportInitializeEx');
}

describe('NdisMSetMiniportAttributes_HardwareAssist', () => {
  it('breaks: a hardware capability without its current partner (recorded; the attributes are set)', () => {
    const s = ready();
    expect(assist(s, 2, 48, { HardwareReceiveFilterCapabilities: CAPS })).toBe(NDIS_STATUS_SUCCESS);
    expectLifecycleFinding(s.findings(ID)[0], ID, {
      ddi: 'NdisMSetMiniportAttributes',
      message: ['leaves CurrentReceiveFilterCapabilities NULL', 'set anyway'],
      adapter: 'TestAdapter',
      bugCheck: null,
    });
  });

  it('breaks: SR-IOV capabilities without NIC-switch capabilities', () => {
    const s = ready();
    assist(s, 3, 80, { HardwareSriovCapabilities: CAPS, CurrentSriovCapabilities: CAPS });
    expect(s.findings(ID)[0].message).toContain(
      'HardwareNicSwitchCapabilities, CurrentNicSwitchCapabilities',
    );
  });

  it('keeps: pairs both set or both NULL, SR-IOV with NIC switch; members beyond the revision are not read', () => {
    const s = ready();
    assist(s, 2, 48, { HardwareReceiveFilterCapabilities: CAPS, CurrentReceiveFilterCapabilities: CAPS });
    assist(s, 3, 80, {
      HardwareSriovCapabilities: CAPS,
      CurrentSriovCapabilities: CAPS,
      HardwareNicSwitchCapabilities: CAPS,
      CurrentNicSwitchCapabilities: CAPS,
    });
    assist(s, 1, 16, { HardwareQosCapabilities: CAPS });
    expect(s.engine.violations).toEqual([]);
  });
});
