/** NdisQueueIoWorkItem_AlreadyQueued: a work item is not queued again while queued (bug check 0xE4 / 0x1). */
import { describe, expect, it } from 'vitest';
import { NdisAllocateIoWorkItem, NdisQueueIoWorkItem } from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  PASSIVE_LEVEL,
  theFinding,
} from './helpers.js';

const RULE = 'NdisQueueIoWorkItem_AlreadyQueued';

function first(): void {}
function second(): void {}

describe('NdisQueueIoWorkItem_AlreadyQueued', () => {
  it('breaks: queueing an item before its routine started; it runs once, with the first routine', () => {
    const s = sim();
    const ran: string[] = [];
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    s.at(DISPATCH_LEVEL, () => {
      NdisQueueIoWorkItem(item, () => ran.push('first'), 1);
      NdisQueueIoWorkItem(item, second, 2);
    });
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisQueueIoWorkItem',
      irql: DISPATCH_LEVEL,
      args: { NdisIoWorkItemHandle: 'IoWorkItem#1', Routine: 'function second', WorkItemContext: 2 },
      message: ['IoWorkItem#1, which is already queued', 'stays queued once'],
      allocationSite: true,
    });
    expect(v.bugCheck).toEqual({ code: 0xe4, name: 'WORKER_INVALID', parameters: [0x1, 0, 0, 0] });
    s.engine.scheduler.runUntilIdle();
    expect(ran).toEqual(['first']);
  });

  it('breaks: under the bug-check policy it stops with 0xE4 / 0x1', () => {
    const s = sim({ policy: 'bugcheck' });
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    const stop = catchBugCheck(() =>
      s.at(PASSIVE_LEVEL, () => {
        NdisQueueIoWorkItem(item, first, null);
        NdisQueueIoWorkItem(item, first, null);
      }),
    );
    expect(stop.info?.code).toBe(0xe4);
    expect(stop.info?.parameters[0]).toBe(0x1);
  });

  it('keeps: queueing again once the routine has started (from the routine itself, or after it ran)', () => {
    const s = sim();
    let runs = 0;
    const item = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    const routine = (): void => {
      runs++;
      if (runs === 1) NdisQueueIoWorkItem(item, routine, null);
    };
    s.at(PASSIVE_LEVEL, () => NdisQueueIoWorkItem(item, routine, null));
    s.engine.scheduler.runUntilIdle();
    s.at(PASSIVE_LEVEL, () => NdisQueueIoWorkItem(item, routine, null));
    s.engine.scheduler.runUntilIdle();
    expect(runs).toBe(3);
    expectNoFinding(s, RULE);
  });
});
