/**
 * NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION (0x7C / 0x1F): NdisMPauseComplete only while a
 * pause is pending, NdisMRestartComplete only while a restart is pending — and a pause or restart
 * completed once (a callback returning SUCCESS after completing it with the DDI completes it twice).
 * Parameter 2 names the sub-reason (…_PAUSE_COMPLETE / …_RESTART_COMPLETE) but its numeric values are
 * undocumented (SPEC §10.7), so it is 0; parameter 3 is the adapter's serial number in the run.
 */
import { DEBUGGER, rule } from '../../rule.js';
import { ndisBugCheck } from './describe.js';

export const NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION = rule({
  id: 'NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION',
  title:
    'NdisMPauseComplete is called only while a pause is pending and NdisMRestartComplete only while a restart is pending.',
  link: `${DEBUGGER}bug-check-0x7c--bugcode-ndis-driver`,
  severity: 'error',
  bugCheck: ndisBugCheck(0x1f),
  observe: {
    stateComplete(v, e) {
      if (e.pending) return;
      const noun = e.operation;
      const callback = noun === 'pause' ? 'MiniportPause' : 'MiniportRestart';
      const ddi = noun === 'pause' ? 'NdisMPauseComplete' : 'NdisMRestartComplete';
      const message =
        e.ddi === callback
          ? `${callback} returned NDIS_STATUS_SUCCESS after the ${noun} was already completed with ${ddi}: the ${noun} completed twice.`
          : `${e.ddi} called for adapter ${e.adapter.name} in state ${e.state}, with no ${noun} pending; nothing changes.`;
      const args: Record<string, unknown> =
        e.ddi === callback ? { Status: 'NDIS_STATUS_SUCCESS' } : { MiniportAdapterHandle: e.adapter.name };
      if (e.ddi === 'NdisMRestartComplete') args.Status = e.Status;
      v.report(NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION, message, {
        ddi: e.ddi,
        args,
        owner: e.adapter,
        parameters: [0, e.engine.lifecycle.serialOf(e.adapter), 0],
      });
    },
  },
});
