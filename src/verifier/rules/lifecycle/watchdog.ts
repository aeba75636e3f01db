/**
 * NDIS_BUGCHECK_WATCHDOG (0x7C / 0x25): a pended MiniportPause is completed with NdisMPauseComplete
 * (and a pended MiniportRestart with NdisMRestartComplete) in bounded time. NDIS's watchdog bug-checks
 * a miniport whose pause takes too long (parameter 2 = 0x21, NDIS_BUGCHECK_WATCHDOG_MINIPORT_PAUSE);
 * the page names no watchdog code for restart, so that finding carries none (D39). The time budget is
 * the host's (the real watchdog's timeout is undocumented).
 */
import { TICKS_PER_MS } from '../../../machine/scheduler.js';
import { DEBUGGER, rule } from '../../rule.js';
import { ndisBugCheck } from './describe.js';

const WATCHDOG_MINIPORT_PAUSE = 0x21;

export const NDIS_BUGCHECK_WATCHDOG = rule({
  id: 'NDIS_BUGCHECK_WATCHDOG',
  title:
    'A MiniportPause or MiniportRestart that returned NDIS_STATUS_PENDING is completed (NdisMPauseComplete / NdisMRestartComplete) in bounded time.',
  link: `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`,
  severity: 'error',
  observe: {
    pendingTimeout(v, e) {
      const pause = e.operation === 'pause';
      const ddi = pause ? 'NdisMPauseComplete' : 'NdisMRestartComplete';
      const callback = pause ? 'MiniportPause' : 'MiniportRestart';
      v.report(
        NDIS_BUGCHECK_WATCHDOG,
        `${callback} returned NDIS_STATUS_PENDING and ${ddi} was not called within ${e.waited / TICKS_PER_MS} ms of simulated time (nothing else was left to run, or the time budget ran out); the adapter is stuck ${pause ? 'Pausing' : 'Restarting'}.`,
        {
          ddi: callback,
          args: { Status: 'NDIS_STATUS_PENDING' },
          owner: e.adapter,
          bugCheck: pause ? ndisBugCheck(0x25) : undefined,
          parameters: pause ? [WATCHDOG_MINIPORT_PAUSE, 0, 0] : undefined,
        },
      );
    },
  },
});
