/**
 * Timers are cancelled in time. CancelTimerObject (official): no timer is still set when
 * MiniportHaltEx returns (0x7C / 0x09 NDIS_BUGCHECK_HALT_WITHOUT_CANCEL_TIMER), nor when the driver
 * unloads (NdisCancelTimerObject page; no documented code). NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER:
 * none is set when MiniportInitializeEx returns a failure (0x7C / 0x0C). "Set" means in the timer
 * queue: a one-shot timer that has fired is not. One finding per timer (D39).
 */
import type { NdisTimerObject } from '../../../engine/sync-timer-object.js';
import {
  NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER as INIT_FAILED_WITHOUT_CANCEL_TIMER,
  NDIS_BUGCHECK_HALT_WITHOUT_CANCEL_TIMER,
} from '../../../ndis/constants.js';
import type { LifecycleEdgeEvent } from '../../events.js';
import { type BugCheckMapping, DEBUGGER, DEVTEST, type RuleDef, rule } from '../../rule.js';
import type { Verifier } from '../../verifier.js';
import { describeExpiry, EDGE_WHEN, edgeOwners } from './args.js';

const NDIS = 'BUGCODE_NDIS_DRIVER';
const HALT: BugCheckMapping = { code: 0x7c, p1: NDIS_BUGCHECK_HALT_WITHOUT_CANCEL_TIMER, name: NDIS };

function setTimers(e: LifecycleEdgeEvent): NdisTimerObject[] {
  const owners = edgeOwners(e);
  return [...e.engine.sync.timers.live].filter((t) => t.queued !== 0 && owners.includes(t.owner));
}

function report(
  v: Verifier,
  self: RuleDef,
  timer: NdisTimerObject,
  e: LifecycleEdgeEvent,
  bugCheck?: BugCheckMapping,
): void {
  v.report(
    self,
    `${timer.name} is still set (${describeExpiry(timer)}) when ${EDGE_WHEN[e.edge]}; cancel it with NdisCancelTimerObject first.`,
    {
      ddi: 'NdisSetTimerObject',
      args: { TimerObject: timer.name },
      owner: timer.owner,
      allocationSite: timer.site,
      bugCheck,
      // P2 the adapter block, P3 the timer queue: no addresses exist for them here.
      parameters: [0, 0, 0],
    },
  );
}

export const CancelTimerObject: RuleDef = rule({
  id: 'CancelTimerObject',
  title:
    'Every timer set with NdisSetTimerObject is cancelled before MiniportHaltEx returns (and before the driver unloads).',
  link: `${DEVTEST}ndis-canceltimerobject`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      if (e.edge === 'initializeFailed') return;
      for (const timer of setTimers(e)) {
        report(v, CancelTimerObject, timer, e, e.edge === 'haltReturned' ? HALT : undefined);
      }
    },
  },
});

export const NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER: RuleDef = rule({
  id: 'NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER',
  title: 'Every timer set during MiniportInitializeEx is cancelled before it returns a failure.',
  link: `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`,
  severity: 'error',
  bugCheck: { code: 0x7c, p1: INIT_FAILED_WITHOUT_CANCEL_TIMER, name: NDIS },
  observe: {
    lifecycleEdge(v, e) {
      if (e.edge !== 'initializeFailed') return;
      for (const timer of setTimers(e)) report(v, NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER, timer, e);
    },
  },
});
