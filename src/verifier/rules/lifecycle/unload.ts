/**
 * NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED (0x7C / 0x0A): NDIS calls MiniportDriverUnload only after
 * MiniportHaltEx has run for every adapter of the driver. Parameters: the driver's serial number in
 * the run (for the driver block), 0 (DRIVER_OBJECT), the number of adapters still initialized.
 */
import { DEBUGGER, rule } from '../../rule.js';
import { ndisBugCheck } from './describe.js';

export const NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED = rule({
  id: 'NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED',
  title: 'A miniport driver is unloaded only after MiniportHaltEx has run for every one of its adapters.',
  link: `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`,
  severity: 'error',
  bugCheck: ndisBugCheck(0x0a),
  observe: {
    driverUnload(v, e) {
      if (e.phase !== 'begin' || e.remaining.length === 0) return;
      const names = e.remaining.map((a) => `${a.name} (${a.state})`).join(', ');
      v.report(
        NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED,
        `Driver ${e.driver.name} is unloading while ${e.remaining.length} adapter(s) are not halted: ${names}.`,
        {
          ddi: 'MiniportDriverUnload',
          args: { DriverObject: e.driver.name },
          owner: e.driver,
          parameters: [e.engine.lifecycle.serialOf(e.driver), 0, e.remaining.length],
        },
      );
    },
  },
});
