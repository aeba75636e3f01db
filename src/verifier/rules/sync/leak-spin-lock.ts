/**
 * Leak_SpinLock: every spin lock NdisAllocateSpinLock initialized is freed with NdisFreeSpinLock
 * before the driver unloads. Checked at unload only: the NdisFreeSpinLock page says it is usually
 * not called until the driver is unloading. One finding per lock, charged to the adapter or driver
 * whose callback allocated it (halted adapters included). No bug-check parameter is documented (D39).
 */

import { driverOf } from '../../../engine/sync-owner.js';
import { DDI, rule } from '../../rule.js';
import { EDGE_WHEN, lockName } from './args.js';

export const Leak_SpinLock = rule({
  id: 'Leak_SpinLock',
  title:
    'Every spin lock initialized by NdisAllocateSpinLock is freed with NdisFreeSpinLock before the driver unloads.',
  link: `${DDI}ndis/nf-ndis-ndisfreespinlock`,
  severity: 'warning',
  observe: {
    lifecycleEdge(v, e) {
      if (e.edge !== 'driverUnload') return;
      for (const lock of [...e.engine.sync.locks.live]) {
        if (lock.owner === null || driverOf(lock.owner) !== e.driver) continue;
        v.report(
          Leak_SpinLock,
          `${lockName(lock)} (NdisAllocateSpinLock in ${lock.owner.name}) is still allocated when ${EDGE_WHEN[e.edge]}.`,
          {
            ddi: 'NdisAllocateSpinLock',
            args: { SpinLock: lockName(lock) },
            owner: lock.owner,
            allocationSite: lock.site,
          },
        );
      }
    },
  },
});
