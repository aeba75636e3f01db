import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate, NDIS_STATUS_SUCCESS, NdisMSetMiniportAttributes } from '../../src/index.js';
import { sim } from '../harness.js';
import {
  expectLifecycleFinding,
  generalAttributes,
  kitDriver,
  registrationAttributes,
} from '../host/driver-kit.js';

const ID = 'NdisMSetMiniportAttributes_Order';
const HARDWARE_ASSIST = { Header: { Type: 0xaf, Revision: 1, Size: 16 }, HDSplitAttributes: null };

afterEach(() => {
  activate(null);
});

describe('NdisMSetMiniportAttributes_Order', () => {
  it('breaks: general attributes before registration attributes (the attributes are set anyway, D37)', () => {
    const result = new Host(kitDriver({ bugs: ['general-first'] }), { driverName: 'Kit' }).run(
      SCENARIOS['full-lifecycle'],
    );
    expect(result.violations.map((v) => v.rule)).toEqual([ID]);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMSetMiniportAttributes',
      message: ['general attributes are set before registration attributes', 'set anyway'],
      adapter: 'nic0',
      driver: 'Kit',
      callback: 'MiniportInitializeEx',
      bugCheck: null,
    });
  });

  it('breaks: another attribute type before registration, or before general attributes', () => {
    const s = sim();
    s.engine.lifecycle.initializeBegin(s.adapter);
    const set = (a: unknown) =>
      s.at(0, () => NdisMSetMiniportAttributes(s.adapter, a as never), 'MiniportInitializeEx');
    expect(set(HARDWARE_ASSIST)).toBe(NDIS_STATUS_SUCCESS);
    set(registrationAttributes({}));
    set(HARDWARE_ASSIST);
    expect(s.findings(ID).map((v) => v.message)).toEqual([
      expect.stringContaining(
        'NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES is set before registration attributes',
      ),
      expect.stringContaining(
        'NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES is set before general attributes',
      ),
    ]);
  });

  it('keeps: registration, then general, then any other attributes', () => {
    const s = sim();
    s.engine.lifecycle.initializeBegin(s.adapter);
    for (const a of [registrationAttributes({}), generalAttributes(), HARDWARE_ASSIST]) {
      s.at(0, () => NdisMSetMiniportAttributes(s.adapter, a as never), 'MiniportInitializeEx');
    }
    expect(s.engine.violations).toEqual([]);
  });
});
