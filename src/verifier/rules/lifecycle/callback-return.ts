/**
 * What the lifecycle callbacks may return (SPEC §2.6, §2.8, §2.9): MiniportPause_Return (official),
 * and the documented status lists of MiniportRestart (and NdisMRestartComplete's Status) and
 * MiniportInitializeEx. NDIS treats an undocumented value as the nearest documented outcome.
 */
import {
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_ACCEPTED,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../../ndis/constants.js';
import { DDI, DEVTEST, rule } from '../../rule.js';
import { isOneOf, statusText } from './describe.js';

const PAUSE = [NDIS_STATUS_SUCCESS, NDIS_STATUS_PENDING];
const RESTART = [NDIS_STATUS_SUCCESS, NDIS_STATUS_PENDING, NDIS_STATUS_RESOURCES, NDIS_STATUS_FAILURE];
const RESTART_COMPLETE = [NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES, NDIS_STATUS_FAILURE];
const INITIALIZE = [
  NDIS_STATUS_SUCCESS,
  NDIS_STATUS_NOT_ACCEPTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_FAILURE,
];

export const MiniportPause_Return = rule({
  id: 'MiniportPause_Return',
  title: 'MiniportPause returns only NDIS_STATUS_SUCCESS or NDIS_STATUS_PENDING (a pause cannot fail).',
  link: `${DEVTEST}ndis-miniportpause-return`,
  severity: 'error',
  observe: {
    lifecycleReturn(v, e) {
      if (e.callback !== 'MiniportPause' || isOneOf(e.status, PAUSE)) return;
      v.report(
        MiniportPause_Return,
        `MiniportPause returned ${statusText(e.status)}; it may return only NDIS_STATUS_SUCCESS or NDIS_STATUS_PENDING. NDIS treats the pause as complete.`,
        { ddi: 'MiniportPause', args: { Status: statusText(e.status) }, owner: e.adapter },
      );
    },
  },
});

export const MiniportRestart_Return = rule({
  id: 'MiniportRestart_Return',
  title:
    'MiniportRestart returns SUCCESS, PENDING, RESOURCES or FAILURE, and NdisMRestartComplete completes with SUCCESS, RESOURCES or FAILURE.',
  link: `${DDI}ndis/nc-ndis-miniport_restart`,
  severity: 'warning',
  observe: {
    lifecycleReturn(v, e) {
      if (e.callback !== 'MiniportRestart' || isOneOf(e.status, RESTART)) return;
      v.report(
        MiniportRestart_Return,
        `MiniportRestart returned ${statusText(e.status)}, which is not a documented restart status; NDIS treats it as a failed restart and the adapter stays Paused.`,
        { ddi: 'MiniportRestart', args: { Status: statusText(e.status) }, owner: e.adapter },
      );
    },
    stateComplete(v, e) {
      if (e.ddi !== 'NdisMRestartComplete' || !e.pending || isOneOf(e.Status, RESTART_COMPLETE)) return;
      v.report(
        MiniportRestart_Return,
        `NdisMRestartComplete completed the restart with ${statusText(e.Status)}; the Status must be NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES or NDIS_STATUS_FAILURE. NDIS treats it as a failure and the adapter is Paused.`,
        {
          ddi: 'NdisMRestartComplete',
          args: { MiniportAdapterHandle: e.adapter.name, Status: statusText(e.Status) },
          owner: e.adapter,
        },
      );
    },
  },
});

export const MiniportInitializeEx_Return = rule({
  id: 'MiniportInitializeEx_Return',
  title: 'MiniportInitializeEx returns SUCCESS, NOT_ACCEPTED, RESOURCES or FAILURE (it cannot pend).',
  link: `${DDI}ndis/nc-ndis-miniport_initialize`,
  severity: 'warning',
  observe: {
    lifecycleReturn(v, e) {
      if (e.callback !== 'MiniportInitializeEx' || isOneOf(e.status, INITIALIZE)) return;
      v.report(
        MiniportInitializeEx_Return,
        `MiniportInitializeEx returned ${statusText(e.status)}, which is not a documented initialization status; NDIS treats it as a failure and the adapter stays Halted.`,
        { ddi: 'MiniportInitializeEx', args: { Status: statusText(e.status) }, owner: e.adapter },
      );
    },
  },
});
