/**
 * Bad handles and arguments of the spin-lock, work-item and timer DDIs go to the generic
 * Ndis_InvalidHandle and Ddi_InvalidArgument rules (docs/decisions.md), with every field reported.
 */
import { describe, expect, it } from 'vitest';
import {
  NdisAllocateIoWorkItem,
  NdisAllocateTimerObject,
  NdisFreeIoWorkItem,
  NdisQueueIoWorkItem,
  NdisSetTimerObject,
} from '../../src/ndis/sync.js';
import { expectFinding, PASSIVE_LEVEL, theFinding } from '../conformance/helpers.js';
import { sim } from '../harness.js';
import { characteristics, relative, timer } from './sync-helpers.js';

describe('sync misuse reports', () => {
  it('a stale work-item handle is Ndis_InvalidHandle, with the item allocation site', () => {
    const s = sim();
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    s.at(PASSIVE_LEVEL, () => NdisFreeIoWorkItem(item));
    s.at(PASSIVE_LEVEL, () => NdisQueueIoWorkItem(item, () => {}, 7));
    expectFinding(theFinding(s, 'Ndis_InvalidHandle'), 'Ndis_InvalidHandle', {
      ddi: 'NdisQueueIoWorkItem',
      irql: PASSIVE_LEVEL,
      args: { NdisIoWorkItemHandle: 'IoWorkItem#1', Routine: 'function (anonymous)', WorkItemContext: 7 },
      message: [
        'NdisQueueIoWorkItem: NdisIoWorkItemHandle IoWorkItem#1 was already freed; it queues nothing.',
      ],
      allocationSite: true,
    });
  });

  it('a forged NdisHandle is Ndis_InvalidHandle; NdisAllocateTimerObject returns FAILURE', () => {
    const s = sim();
    const forged = { name: 'Forged' };
    s.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(forged, characteristics()));
    const v = theFinding(s, 'Ndis_InvalidHandle');
    expect(v.message).toBe(
      'NdisAllocateTimerObject: NdisHandle Forged is not a live adapter or driver handle; it returns NDIS_STATUS_FAILURE.',
    );
    expect(v.args).toEqual({
      NdisHandle: 'Forged',
      TimerCharacteristics: '<object that is not an NDIS handle>',
    });
  });

  it('a Routine that is not a function and a DueTime that is not an integer are Ddi_InvalidArgument', () => {
    const s = sim();
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.driver));
    const t = timer(s);
    s.at(PASSIVE_LEVEL, () => {
      NdisQueueIoWorkItem(item, 'run' as never, null);
      NdisSetTimerObject(t, relative(1) + 0.5, 0, null);
    });
    const found = s.findings('Ddi_InvalidArgument');
    expectFinding(found[0], 'Ddi_InvalidArgument', {
      ddi: 'NdisQueueIoWorkItem',
      irql: PASSIVE_LEVEL,
      args: { NdisIoWorkItemHandle: 'IoWorkItem#1', Routine: '"run"', WorkItemContext: 'NULL' },
      message: ['Routine "run" is not a function (NDIS_IO_WORKITEM_FUNCTION); it queues nothing.'],
      allocationSite: false,
      adapter: null,
    });
    expect(found[1].message).toBe(
      'NdisSetTimerObject: DueTime -9999.5 is not a LARGE_INTEGER (an integer number or a bigint); it leaves the timer as it was.',
    );
    expect(found[1].args).toEqual({
      TimerObject: 'TimerObject#1',
      DueTime: -9999.5,
      MillisecondsPeriod: 0,
      FunctionContext: 'NULL',
    });
  });
});
