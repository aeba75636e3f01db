/**
 * NdisMDeregisterMiniportDriver_Required: a registered miniport driver calls
 * NdisMDeregisterMiniportDriver from MiniportDriverUnload, or before a DriverEntry that fails after
 * a successful registration returns — and nowhere else (SPEC §2.1, §2.4). NDIS deregisters a
 * driver that did not, so the finding is reported once.
 */
import { DDI, rule } from '../../rule.js';
import { statusText } from './describe.js';

export const NdisMDeregisterMiniportDriver_Required = rule({
  id: 'NdisMDeregisterMiniportDriver_Required',
  title:
    'A registered miniport driver calls NdisMDeregisterMiniportDriver from MiniportDriverUnload, or before a failing DriverEntry returns.',
  link: `${DDI}ndis/nf-ndis-ndismderegisterminiportdriver`,
  severity: 'error',
  observe: {
    driverEntryReturn(v, e) {
      if (!e.failed) return;
      for (const driver of e.registered) {
        v.report(
          NdisMDeregisterMiniportDriver_Required,
          `DriverEntry returned ${statusText(e.status)} after NdisMRegisterMiniportDriver succeeded, without calling NdisMDeregisterMiniportDriver.`,
          { ddi: 'DriverEntry', args: { Status: statusText(e.status) }, owner: driver },
        );
      }
    },
    driverUnload(v, e) {
      if (e.phase !== 'end' || !e.registered) return;
      v.report(
        NdisMDeregisterMiniportDriver_Required,
        `MiniportDriverUnload returned without calling NdisMDeregisterMiniportDriver for driver ${e.driver.name}.`,
        { ddi: 'MiniportDriverUnload', args: { DriverObject: e.driver.name }, owner: e.driver },
      );
    },
    driverDeregister(v, e) {
      if (e.where === 'MiniportDriverUnload' || e.where === 'DriverEntry') return;
      const adapters =
        e.initialized.length > 0
          ? ` while ${e.initialized.length} adapter(s) are still initialized (${e.initialized.map((a) => a.name).join(', ')})`
          : '';
      v.report(
        NdisMDeregisterMiniportDriver_Required,
        `NdisMDeregisterMiniportDriver called from ${e.where}${adapters}; it belongs in MiniportDriverUnload (or a failing DriverEntry). The driver handle is no longer valid.`,
        {
          ddi: 'NdisMDeregisterMiniportDriver',
          args: { NdisMiniportDriverHandle: e.driver.name },
          owner: e.driver,
        },
      );
    },
  },
});
