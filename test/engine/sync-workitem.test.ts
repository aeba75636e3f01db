/** NDIS I/O work items: allocation and fault injection, PASSIVE_LEVEL execution in FIFO order. */
import { describe, expect, it } from 'vitest';
import type { AllocationRequest } from '../../src/engine/faults.js';
import { NdisAllocateIoWorkItem, NdisFreeIoWorkItem, NdisQueueIoWorkItem } from '../../src/ndis/sync.js';
import { sim } from '../harness.js';

const PASSIVE = 0;
const DISPATCH = 2;

interface Ran {
  context: unknown;
  handle: unknown;
  irql: number;
  callback: string;
  adapter: boolean;
}

describe('I/O work items', () => {
  it('NdisAllocateIoWorkItem returns a handle for an adapter or a driver handle, and counts as an allocation', () => {
    const s = sim();
    const before = s.engine.allocationCalls;
    const a = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter));
    const d = s.at(DISPATCH, () => NdisAllocateIoWorkItem(s.driver));
    expect(a).not.toBeNull();
    expect(d).not.toBeNull();
    expect(a).not.toBe(d);
    expect(s.engine.allocationCalls).toBe(before + 2);
    expect(s.engine.sync.workItems.live.size).toBe(2);
    expect(s.engine.violations).toEqual([]);
  });

  it('under fault injection it returns NULL, and the hook sees the call', () => {
    const seen: AllocationRequest[] = [];
    const s = sim({
      faults: (r) => {
        seen.push({ ...r });
        return true;
      },
    });
    expect(s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter))).toBeNull();
    expect(seen).toEqual([
      { ddi: 'NdisAllocateIoWorkItem', ordinal: 1, length: 0, tag: 0, priority: -1, owner: s.adapter },
    ]);
    expect(s.engine.sync.workItems.live.size).toBe(0);
    expect(s.engine.violations).toEqual([]);
  });

  it('a forged NdisObjectHandle returns NULL and is Ndis_InvalidHandle', () => {
    const s = sim();
    expect(s.at(PASSIVE, () => NdisAllocateIoWorkItem({}))).toBeNull();
    expect(s.findings('Ndis_InvalidHandle').map((v) => v.message)).toEqual([
      expect.stringContaining('NdisAllocateIoWorkItem: NdisObjectHandle'),
    ]);
    expect(s.engine.allocationCalls).toBe(0);
  });

  it('the routine runs later, at PASSIVE_LEVEL, as NdisIoWorkItemFunction, with (WorkItemContext, handle)', () => {
    const s = sim();
    const ran: Ran[] = [];
    const item = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter));
    const ctx = { n: 1 };
    s.at(DISPATCH, () =>
      NdisQueueIoWorkItem(
        item,
        (WorkItemContext, NdisIoWorkItemHandle) => {
          const c = s.engine.context;
          ran.push({
            context: WorkItemContext,
            handle: NdisIoWorkItemHandle,
            irql: c.irql,
            callback: c.callback,
            adapter: c.frame.adapter === s.adapter,
          });
        },
        ctx,
      ),
    );
    expect(ran).toEqual([]);
    expect(s.engine.scheduler.pendingPassive).toBe(1);
    s.engine.scheduler.runUntilIdle();
    expect(ran).toEqual([
      { context: ctx, handle: item, irql: PASSIVE, callback: 'NdisIoWorkItemFunction', adapter: true },
    ]);
    expect(s.engine.violations).toEqual([]);
  });

  it('work items run in FIFO order, after the queueing caller returned', () => {
    const s = sim();
    const order: string[] = [];
    const items = ['a', 'b', 'c'].map(() => s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter)));
    s.at(PASSIVE, () => {
      items.forEach((item, i) => {
        NdisQueueIoWorkItem(item, (name) => order.push(name as string), ['first', 'second', 'third'][i]);
      });
      order.push('caller returns');
    });
    s.engine.scheduler.runUntilIdle();
    expect(order).toEqual(['caller returns', 'first', 'second', 'third']);
  });

  it('the routine may free its item, or queue it again (it runs again)', () => {
    const s = sim();
    let runs = 0;
    const item = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter));
    const routine = (_ctx: unknown, handle: unknown): void => {
      runs++;
      if (runs < 3) NdisQueueIoWorkItem(handle as object, routine, null);
      else NdisFreeIoWorkItem(handle as object);
    };
    s.at(PASSIVE, () => NdisQueueIoWorkItem(item, routine, null));
    s.engine.scheduler.runUntilIdle();
    expect(runs).toBe(3);
    expect(s.engine.sync.workItems.live.size).toBe(0);
    expect(s.engine.violations).toEqual([]);
  });

  it('an item queued twice runs once, with its first routine; a freed queued item never runs', () => {
    const s = sim();
    const ran: string[] = [];
    const a = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter));
    const b = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter));
    s.at(PASSIVE, () => {
      NdisQueueIoWorkItem(a, () => ran.push('first'), null);
      NdisQueueIoWorkItem(a, () => ran.push('second'), null);
      NdisQueueIoWorkItem(b, () => ran.push('freed'), null);
      NdisFreeIoWorkItem(b);
    });
    s.engine.scheduler.runUntilIdle();
    expect(ran).toEqual(['first']);
    expect(s.engine.violations.map((v) => v.rule)).toEqual([
      'NdisQueueIoWorkItem_AlreadyQueued',
      'NdisFreeIoWorkItem_Queued',
    ]);
  });

  it('a driver-handle item runs with no adapter in its frame; reclaim dequeues it', () => {
    const s = sim();
    let adapter: unknown = 'unset';
    const item = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.driver));
    s.at(PASSIVE, () => NdisQueueIoWorkItem(item, () => (adapter = s.engine.context.frame.adapter), null));
    s.engine.scheduler.runUntilIdle();
    expect(adapter).toBeNull();
    s.at(PASSIVE, () => NdisQueueIoWorkItem(item, () => (adapter = 'ran again'), null));
    s.engine.sync.reclaim(s.driver);
    s.engine.scheduler.runUntilIdle();
    expect(adapter).toBeNull();
    expect(s.engine.sync.workItems.live.size).toBe(0);
  });

  it('bad handles and routines are reported, never a TypeError', () => {
    const s = sim();
    const item = s.at(PASSIVE, () => NdisAllocateIoWorkItem(s.adapter));
    s.at(PASSIVE, () => {
      NdisQueueIoWorkItem({}, () => {}, null);
      NdisQueueIoWorkItem(item, 42 as never, null);
      NdisFreeIoWorkItem(null);
      NdisFreeIoWorkItem(item);
      NdisFreeIoWorkItem(item);
      NdisQueueIoWorkItem(item, () => {}, null);
    });
    expect(s.engine.violations.map((v) => v.rule)).toEqual([
      'Ndis_InvalidHandle',
      'Ddi_InvalidArgument',
      'Ndis_InvalidHandle',
      'Ndis_InvalidHandle',
      'Ndis_InvalidHandle',
    ]);
    expect(s.engine.scheduler.pendingPassive).toBe(0);
  });
});
