/**
 * PeriodicTimer (NDIS miscellaneous rule set): NdisCancelTimerObject runs at PASSIVE_LEVEL when the
 * last NdisSetTimerObject gave a nonzero MillisecondsPeriod (it then flushes queued DPCs); a one-shot
 * timer may be cancelled at IRQL <= DISPATCH_LEVEL (that range is the IRQL table's). No bug-check
 * parameter is documented (D39).
 */
import { TICKS_PER_MS } from '../../../machine/scheduler.js';
import { DEVTEST, type RuleDef, rule } from '../../rule.js';

const LEVELS = ['PASSIVE_LEVEL', 'APC_LEVEL', 'DISPATCH_LEVEL'];

export const PeriodicTimer: RuleDef = rule({
  id: 'PeriodicTimer',
  title: 'NdisCancelTimerObject of a periodic timer (nonzero MillisecondsPeriod) is called at PASSIVE_LEVEL.',
  link: `${DEVTEST}ndis-periodictimer`,
  severity: 'error',
  observe: {
    timerObject(v, e) {
      if (e.ddi !== 'NdisCancelTimerObject' || e.irql === 0 || !e.timer.periodic) return;
      const timer = e.timer;
      v.report(
        PeriodicTimer,
        `NdisCancelTimerObject cancels ${timer.name}, a periodic timer (MillisecondsPeriod ${timer.period / TICKS_PER_MS}), at ${LEVELS[e.irql] ?? `IRQL ${e.irql}`}; a periodic timer is cancelled at PASSIVE_LEVEL.`,
        { ddi: e.ddi, args: { TimerObject: timer.name }, owner: timer.owner, allocationSite: timer.site },
      );
    },
  },
});
