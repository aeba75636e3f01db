/** NdisFreeIoWorkItem_Queued: a work item is not freed while queued (bug check 0xE4 / 0x2). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateIoWorkItem, NdisFreeIoWorkItem, NdisQueueIoWorkItem } from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisFreeIoWorkItem_Queued';

describe('NdisFreeIoWorkItem_Queued', () => {
  it('breaks: freeing a queued item; it is dequeued and its routine never runs', () => {
    const s = sim();
    let ran = false;
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    s.at(PASSIVE_LEVEL, () => {
      NdisQueueIoWorkItem(item, () => (ran = true), null);
      NdisFreeIoWorkItem(item);
    });
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeIoWorkItem',
      irql: PASSIVE_LEVEL,
      args: { NdisIoWorkItemHandle: 'IoWorkItem#1' },
      message: ['frees IoWorkItem#1 while it is queued', 'never runs'],
      allocationSite: true,
    });
    expect(v.bugCheck).toEqual({ code: 0xe4, name: 'WORKER_INVALID', parameters: [0x2, 0, 0, 0] });
    s.engine.scheduler.runUntilIdle();
    expect(ran).toBe(false);
    expect(s.engine.sync.workItems.live.size).toBe(0);
  });

  it('breaks: under the bug-check policy it stops with 0xE4 / 0x2', () => {
    const s = sim({ policy: 'bugcheck' });
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.driver));
    const stop = catchBugCheck(() =>
      s.at(PASSIVE_LEVEL, () => {
        NdisQueueIoWorkItem(item, () => {}, null);
        NdisFreeIoWorkItem(item);
      }),
    );
    expect(stop.info?.parameters[0]).toBe(0x2);
  });

  it('keeps: freeing from the routine itself (the docs allow it), or after it ran', () => {
    const s = sim();
    const a = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    const b = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    s.at(PASSIVE_LEVEL, () => {
      NdisQueueIoWorkItem(a, (_c, handle) => NdisFreeIoWorkItem(handle), null);
      NdisQueueIoWorkItem(b, () => {}, null);
    });
    s.engine.scheduler.runUntilIdle();
    s.at(PASSIVE_LEVEL, () => NdisFreeIoWorkItem(b));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
