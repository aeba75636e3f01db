/**
 * NdisQueueIoWorkItem_AlreadyQueued: a work item is not queued again while it is still queued
 * ("Queuing a work item: once is enough"; bug check 0xE4 WORKER_INVALID / 0x1 on Windows Vista and
 * later). NdisFreeIoWorkItem_Queued: a work item is not freed while it is queued (0xE4 / 0x2).
 * Freeing it from its own routine is allowed (NdisQueueIoWorkItem page).
 */
import { IoWorkItemOutcome } from '../../events/sync.js';
import { DEBUGGER, type RuleDef, rule } from '../../rule.js';
import { describeArg } from './args.js';

const WORKER_INVALID = 'WORKER_INVALID';
/** WORK_QUEUE_TYPE CriticalWorkQueue, the queue NDIS work items use. */
const CRITICAL_WORK_QUEUE = 0;

export const NdisQueueIoWorkItem_AlreadyQueued: RuleDef = rule({
  id: 'NdisQueueIoWorkItem_AlreadyQueued',
  title: 'A work item is queued with NdisQueueIoWorkItem only when it is not already queued.',
  link: `${DEBUGGER}bug-check-0xe4--worker-invalid`,
  severity: 'error',
  bugCheck: { code: 0xe4, p1: 0x1, name: WORKER_INVALID },
  observe: {
    ioWorkItem(v, e) {
      if (e.outcome !== IoWorkItemOutcome.AlreadyQueued) return;
      const item = e.item;
      v.report(
        NdisQueueIoWorkItem_AlreadyQueued,
        `NdisQueueIoWorkItem queues ${item.name}, which is already queued and has not started running; queueing it twice corrupts the work queue. It stays queued once, with its first routine and context.`,
        {
          ddi: e.ddi,
          args: {
            NdisIoWorkItemHandle: item.name,
            Routine: describeArg(e.Routine),
            WorkItemContext: describeArg(e.WorkItemContext),
          },
          owner: item.owner,
          allocationSite: item.site,
          parameters: [0, CRITICAL_WORK_QUEUE, 0],
        },
      );
    },
  },
});

export const NdisFreeIoWorkItem_Queued: RuleDef = rule({
  id: 'NdisFreeIoWorkItem_Queued',
  title: 'A work item is not freed with NdisFreeIoWorkItem while it is queued.',
  link: `${DEBUGGER}bug-check-0xe4--worker-invalid`,
  severity: 'error',
  bugCheck: { code: 0xe4, p1: 0x2, name: WORKER_INVALID },
  observe: {
    ioWorkItem(v, e) {
      if (e.outcome !== IoWorkItemOutcome.FreeQueued) return;
      const item = e.item;
      v.report(
        NdisFreeIoWorkItem_Queued,
        `NdisFreeIoWorkItem frees ${item.name} while it is queued; it is dequeued and freed, and its routine never runs.`,
        {
          ddi: e.ddi,
          args: { NdisIoWorkItemHandle: item.name },
          owner: item.owner,
          allocationSite: item.site,
        },
      );
    },
  },
});
