import { afterEach, describe, expect, it } from 'vitest';
import { Host } from '../../src/host/index.js';
import { activate, NDIS_STATUS_BAD_CHARACTERISTICS, NDIS_STATUS_BAD_VERSION } from '../../src/index.js';
import { characteristics, expectLifecycleFinding, kitDriver, ndisBugCheck } from '../host/driver-kit.js';

const ID = 'NdisMRegisterMiniportDriver_Characteristics';

afterEach(() => {
  activate(null);
});

function load(overrides: Record<string, unknown>, policy: 'record' | 'bugcheck' = 'record') {
  const host = new Host(kitDriver({ overrides }), { driverName: 'Kit', policy });
  const record = host.step({ step: 'load' });
  return { host, record, result: host.result() };
}

describe('NdisMRegisterMiniportDriver_Characteristics', () => {
  it('breaks: a missing required handler — NDIS_STATUS_BAD_CHARACTERISTICS, nothing registered (D26)', () => {
    const { record, result } = load({ PauseHandler: null, CancelSendHandler: undefined });
    expect(record.calls[0].status).toBe(NDIS_STATUS_BAD_CHARACTERISTICS);
    expect(result.violations).toHaveLength(1);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMRegisterMiniportDriver',
      message: [
        'lacks required handlers',
        'PauseHandler, CancelSendHandler',
        'NDIS_STATUS_BAD_CHARACTERISTICS',
      ],
      args: { PauseHandler: 'NULL', CancelSendHandler: 'NULL' },
      callback: 'DriverEntry',
      driver: null,
      bugCheck: null,
    });
  });

  it('breaks: CheckForHangHandlerEx without ResetHandlerEx, and a lone direct-OID handler', () => {
    expect(load({ CheckForHangHandlerEx: () => false }).result.violations[0].message).toContain(
      'CheckForHangHandlerEx without ResetHandlerEx',
    );
    expect(load({ CancelDirectOidRequestHandler: () => 0 }).result.violations[0].message).toContain(
      'only one of DirectOidRequestHandler and CancelDirectOidRequestHandler',
    );
  });

  it('breaks: a version NDIS does not have — NDIS_STATUS_BAD_VERSION', () => {
    const { record, result } = load({ MinorNdisVersion: 25 });
    expect(record.calls[0].status).toBe(NDIS_STATUS_BAD_VERSION);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMRegisterMiniportDriver',
      message: ['MinorNdisVersion NDIS 6 does not have', 'NDIS_STATUS_BAD_VERSION'],
      args: { MinorNdisVersion: 25 },
      bugCheck: null,
    });
  });

  it('breaks: a Header.Size below the revision maps to 0x7C / 0x21 (D17); under the bug-check policy the run stops', () => {
    const header = { ...characteristics().Header, Size: 100 };
    const { result } = load({ Header: header });
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMRegisterMiniportDriver',
      message: ["Header.Size below its revision's", 'expected >= 152'],
      args: { 'Header.Size': 100 },
      bugCheck: ndisBugCheck(0x21),
    });
    const stopped = load({ Header: header }, 'bugcheck').result;
    expect(stopped.outcome).toBe('bugcheck');
    expect(stopped.error?.bugCheck).toEqual(ndisBugCheck(0x21));
  });

  it('breaks: an intermediate driver with CheckForHangHandlerEx is recorded but registered', () => {
    const { record, result } = load({
      Flags: 1,
      CheckForHangHandlerEx: () => false,
      ResetHandlerEx: () => 0,
    });
    expect(record.calls[0].status).toBe(0);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMRegisterMiniportDriver',
      message: ['intermediate driver', 'it returns NDIS_STATUS_SUCCESS'],
    });
  });

  it('keeps: well-formed characteristics of each revision (and sizeof-sized headers)', () => {
    const revisions = [
      { Header: { Type: 0x8a, Revision: 1, Size: 136 } },
      { Header: { Type: 0x8a, Revision: 2, Size: 152 } },
      { Header: { Type: 0x8a, Revision: 2, Size: 160 } },
      { Header: { Type: 0x8a, Revision: 3, Size: 160 }, MinorNdisVersion: 80 },
    ];
    for (const overrides of revisions) {
      const { host } = load(overrides);
      expect(host.result().violations).toEqual([]);
      expect(host.miniportDriver).not.toBeNull();
    }
  });
});
