/**
 * NdisFreeTimerObject_TimerSet: a timer is cancelled before NdisFreeTimerObject frees it. The pages
 * do not say the free cancels it; freeing pool that holds an active timer is Driver Verifier's
 * 0xC4 / 0x15. The engine reports it, then cancels the timer so it never fires into freed memory.
 */
import { TimerOutcome } from '../../events/sync.js';
import { DEBUGGER, type RuleDef, rule } from '../../rule.js';
import { describeExpiry } from './args.js';

export const NdisFreeTimerObject_TimerSet: RuleDef = rule({
  id: 'NdisFreeTimerObject_TimerSet',
  title: 'A timer is not freed with NdisFreeTimerObject while it is set (cancel it first).',
  link: `${DEBUGGER}bug-check-0xc4--driver-verifier-detected-violation`,
  severity: 'error',
  bugCheck: { code: 0xc4, p1: 0x15, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
  observe: {
    timerObject(v, e) {
      if (e.outcome !== TimerOutcome.FreeSet) return;
      const timer = e.timer;
      v.report(
        NdisFreeTimerObject_TimerSet,
        `NdisFreeTimerObject frees ${timer.name} while it is set (${describeExpiry(timer)}); it is cancelled and freed.`,
        { ddi: e.ddi, args: { TimerObject: timer.name }, owner: timer.owner, allocationSite: timer.site },
      );
    },
  },
});
