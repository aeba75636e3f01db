import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate, NDIS_STATUS_SUCCESS, NdisMSetMiniportAttributes } from '../../src/index.js';
import { sim } from '../harness.js';
import { expectLifecycleFinding, generalAttributes, kitDriver } from '../host/driver-kit.js';

const ID = 'NdisMSetMiniportAttributes_Context';

afterEach(() => {
  activate(null);
});

describe('NdisMSetMiniportAttributes_Context', () => {
  it('breaks: called from MiniportRestart (the attributes are still set, D37)', () => {
    const kit = kitDriver({
      overrides: {
        RestartHandler: (context: { handle: object }) =>
          NdisMSetMiniportAttributes(context.handle, generalAttributes()),
      },
    });
    const result = new Host(kit, { driverName: 'Kit' }).run(SCENARIOS['full-lifecycle']);
    const found = result.violations.filter((v) => v.rule === ID);
    expect(found).toHaveLength(2);
    expectLifecycleFinding(found[0], ID, {
      ddi: 'NdisMSetMiniportAttributes',
      message: [
        'called from MiniportRestart',
        'adapter nic0 is Restarting',
        'belongs in MiniportInitializeEx of adapter nic0',
      ],
      adapter: 'nic0',
      driver: 'Kit',
      callback: 'MiniportRestart',
      bugCheck: null,
    });
  });

  it('breaks: called outside any callback, or for an adapter that is not the one initializing', () => {
    const s = sim();
    expect(NdisMSetMiniportAttributes(s.adapter, generalAttributes())).toBe(NDIS_STATUS_SUCCESS);
    const other = s.engine.createAdapter(s.driver, 'Other');
    s.engine.lifecycle.initializeBegin(other);
    s.at(0, () => NdisMSetMiniportAttributes(s.adapter, generalAttributes()), 'MiniportInitializeEx');
    expect(s.findings(ID).map((v) => v.message)).toEqual([
      expect.stringContaining('called from outside any driver callback'),
      expect.stringContaining('called from MiniportInitializeEx (adapter TestAdapter is Halted)'),
    ]);
  });

  it('keeps: every call from MiniportInitializeEx of its adapter', () => {
    const result = new Host(kitDriver()).run(SCENARIOS['two-adapters']);
    expect(result.violations).toEqual([]);
  });
});
