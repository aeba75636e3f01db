/** Init_NdisAllocateIoWorkItem: items allocated in MiniportInitializeEx are freed in halt, or before a failing initialize returns. */
import { describe, expect, it } from 'vitest';
import { NdisAllocateIoWorkItem, NdisFreeIoWorkItem } from '../../src/ndis/sync.js';
import { inInitialize } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'Init_NdisAllocateIoWorkItem';

describe('Init_NdisAllocateIoWorkItem', () => {
  it('breaks: MiniportInitializeEx fails with its work item still allocated', () => {
    const s = sim();
    inInitialize(s, () => NdisAllocateIoWorkItem(s.adapter));
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateIoWorkItem',
      irql: PASSIVE_LEVEL,
      args: { NdisObjectHandle: 'TestAdapter' },
      message: [
        'IoWorkItem#1, allocated in MiniportInitializeEx, is still allocated when MiniportInitializeEx returned a failure',
      ],
      allocationSite: true,
      callback: null,
    });
  });

  it('breaks: MiniportHaltEx returns without freeing it (one finding per item); no documented code (D39)', () => {
    const s = sim({ policy: 'bugcheck' });
    inInitialize(s, () => NdisAllocateIoWorkItem(s.adapter));
    const stop = catchBugCheck(() => s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter));
    expect(stop.violation.rule).toBe(RULE);
    expect(stop.info).toBeNull();
  });

  it('keeps: freed in MiniportHaltEx; an item allocated after initialize is Leak_IoWorkItem instead', () => {
    const s = sim();
    const item = inInitialize(s, () => NdisAllocateIoWorkItem(s.adapter));
    s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () => NdisFreeIoWorkItem(item));
    s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectNoFinding(s, RULE);
    expect(s.findings('Leak_IoWorkItem')).toHaveLength(1);
  });
});
