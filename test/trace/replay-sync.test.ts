/**
 * Replaying spin locks, I/O work items and timer objects: hand-written traces of a correct driver
 * check clean and planted bugs give their rule ids; work-item routines and timer functions run only
 * as the trace's enter/exit events (nothing is scheduled); and live host runs of a small sync driver
 * and of the netvmini example, recorded, check to the same findings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { MiniportAdapter } from '../../src/engine/objects.js';
import type { HostDriver } from '../../src/host/host.js';
import { runPlan } from '../../src/host/plan-run.js';
import { SCENARIOS, type Scenario } from '../../src/host/scenario.js';
import type { NDIS_HANDLE, NDIS_IO_WORKITEM_HANDLE, NDIS_TIMER_OBJECT_HANDLE } from '../../src/index.js';
import { loadDriver } from '../../src/loader/load-driver.js';
import { type CheckResult, checkTrace } from '../../src/trace/replay.js';
import type { Violation } from '../../src/verifier/violation.js';
import { essence, recordRun, withoutEdges } from './recorded-host.js';

// The test driver imports the DDIs from src/index.js: record them there.
vi.mock('../../src/index.js', async (original) =>
  (await import('./recorded-host.js')).recordedIndex(original),
);

const ndis = await import('../../src/index.js');
const kit = await import('../host/driver-kit.js');

const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-replay-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const LOCK = '0xffffc60a2a000040';
const ITEM = '0xffffc60a30000000';
const TIMER = '0xffffc60a40000000';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8,"driver":{"name":"e1000ns"}}';

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const enter = (callback: string, irql = 0, extra: Record<string, unknown> = {}) =>
  line({ kind: 'enter', callback, driver: D, adapter: A, irql, ...extra });
const exit = (callback: string, status?: string) =>
  line(status === undefined ? { kind: 'exit', callback } : { kind: 'exit', callback, status });
const call = (ddi: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}, irql = 0) =>
  line({ kind: 'call', ddi, irql, args, ...extra });
const lock = (ddi: string, irql = 0, address = LOCK) => call(ddi, { SpinLock: address }, {}, irql);
const allocItem = (value = ITEM) =>
  call('NdisAllocateIoWorkItem', { NdisObjectHandle: A }, { result: { NdisIoWorkItemHandle: value } });
const queueItem = (value = ITEM) =>
  call('NdisQueueIoWorkItem', {
    NdisIoWorkItemHandle: value,
    Routine: '0xfffff80010002000',
    WorkItemContext: A,
  });
const freeItem = (value = ITEM) => call('NdisFreeIoWorkItem', { NdisIoWorkItemHandle: value });
const TC = {
  Header: { Type: 0x97, Revision: 1, Size: 24 },
  AllocationTag: '0x6d69544e',
  TimerFunction: '0xfffff80010003000',
  FunctionContext: A,
};
const allocTimer = (tc: unknown = TC, status = '0x0', value = TIMER) =>
  call(
    'NdisAllocateTimerObject',
    { NdisHandle: A, TimerCharacteristics: tc },
    { status, result: { TimerObject: status === '0x0' ? value : '0x0' } },
  );
const setTimer = (inQueue = 0, period = 0, value = TIMER) =>
  call(
    'NdisSetTimerObject',
    { TimerObject: value, DueTime: -100000, MillisecondsPeriod: period, FunctionContext: '0x0' },
    { result: { InQueue: inQueue } },
  );
const cancelTimer = (inQueue: number, irql = 0, value = TIMER) =>
  call('NdisCancelTimerObject', { TimerObject: value }, { result: { InQueue: inQueue } }, irql);
const freeTimer = (value = TIMER) => call('NdisFreeTimerObject', { TimerObject: value });
const run = (callback: string, irql: number, ...body: string[]) => [
  enter(callback, irql),
  ...body,
  exit(callback),
];
const initialize = (...body: string[]) => [
  enter('MiniportInitializeEx'),
  ...body,
  exit('MiniportInitializeEx', '0x0'),
];
const halt = (...body: string[]) => run('MiniportHaltEx', 0, ...body);
const unload = (...body: string[]) => [
  line({ kind: 'enter', callback: 'MiniportDriverUnload', driver: D, irql: 0 }),
  ...body,
  exit('MiniportDriverUnload'),
];

function check(lines: string[]): Promise<CheckResult> {
  return checkTrace([Buffer.from(`${[HEADER, ...lines].join('\n')}\n`)], { file: 'trace.jsonl' });
}
const rules = (r: CheckResult) => r.violations.map((v) => v.rule);
const errors = (r: CheckResult) => r.errors.map(String);

/** A correct driver: a spin lock, a work item that runs once, a one-shot then a periodic timer. */
const CORRECT = [
  ...initialize(lock('NdisAllocateSpinLock'), allocItem(), allocTimer()),
  ...run('MiniportRestart', 0, setTimer(0)),
  ...run(
    'NdisTimerFunction',
    2,
    lock('NdisDprAcquireSpinLock', 2),
    lock('NdisDprReleaseSpinLock', 2),
    queueItem(),
  ),
  ...run('NdisIoWorkItemFunction', 0, lock('NdisAcquireSpinLock'), lock('NdisReleaseSpinLock', 2)),
  ...run('MiniportInterruptDPC', 2, setTimer(0, 10)),
  ...run('NdisTimerFunction', 2),
  ...run('NdisTimerFunction', 2),
  ...run('MiniportPause', 0, cancelTimer(1)),
  ...halt(freeTimer(), freeItem()),
  ...unload(lock('NdisFreeSpinLock')),
];

describe('replaying spin locks, work items and timers', () => {
  it('a correct driver checks clean, and nothing is scheduled', async () => {
    const r = await check(CORRECT);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    const scheduler = r.engine.scheduler;
    expect([
      scheduler.pendingTimers,
      scheduler.pendingPassive,
      scheduler.pendingDpcs,
      scheduler.stepsRun,
    ]).toEqual([0, 0, 0, 0]);
    expect([
      r.engine.sync.locks.live.size,
      r.engine.sync.workItems.live.size,
      r.engine.sync.timers.live.size,
    ]).toEqual([0, 0, 0]);
  });

  it('a timer expires when the trace runs its NdisTimerFunction: one-shot leaves the queue, periodic stays', async () => {
    const upTo = (n: number) => check(CORRECT.slice(0, n));
    const [set, fired, periodic, firedTwice] = await Promise.all([upTo(8), upTo(16), upTo(19), upTo(25)]);
    const timer = (r: CheckResult) => [...r.engine.sync.timers.live][0];
    expect(timer(set).queued).not.toBe(0);
    expect(timer(fired).queued).toBe(0);
    expect([timer(periodic).queued !== 0, timer(periodic).due, timer(firedTwice).due]).toEqual([
      true,
      100_000,
      300_000,
    ]);
  });

  it('spin locks: released twice, acquired while held, held at return, never allocated, leaked', async () => {
    const r = await check([
      ...initialize(lock('NdisAllocateSpinLock')),
      ...run(
        'MiniportInterruptDPC',
        2,
        lock('NdisDprAcquireSpinLock', 2),
        lock('NdisDprReleaseSpinLock', 2),
        lock('NdisDprReleaseSpinLock', 2),
        lock('NdisDprAcquireSpinLock', 2),
        lock('NdisDprAcquireSpinLock', 2),
        lock('NdisDprAcquireSpinLock', 2, '0xffffc60a2a000080'),
      ),
      ...halt(),
      ...unload(),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual([
      'SpinLockRelease',
      'SpinLockDpr',
      'SpinLock_NotAllocated',
      'SpinLockDpr',
      'SpinLockDpr',
      'Leak_SpinLock',
    ]);
    expect(r.violations[0].message).toBe(
      'NdisDprReleaseSpinLock releases spin lock #1 at 0xffffc60a2a000040, which is not held; nothing is released and the IRQL is unchanged.',
    );
    expect(r.violationLines).toEqual([8, 10, 11, 12, 12, 16]);
  });

  it('a zero SpinLock is Ddi_InvalidArgument', async () => {
    const r = await check(run('MiniportInterruptDPC', 2, lock('NdisDprAcquireSpinLock', 2, '0x0')));
    expect(rules(r)).toEqual(['Ddi_InvalidArgument']);
  });

  it('work items: freed while queued, queued twice, leaked at the halt', async () => {
    const other = '0xffffc60a30000100';
    const r = await check([
      ...initialize(allocItem(), allocItem(other)),
      ...run('MiniportInterruptDPC', 2, queueItem(), queueItem(), freeItem()),
      ...halt(),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual([
      'NdisQueueIoWorkItem_AlreadyQueued',
      'NdisFreeIoWorkItem_Queued',
      'Init_NdisAllocateIoWorkItem',
    ]);
    expect(r.violations[2].message).toBe(
      'IoWorkItem#2, allocated in MiniportInitializeEx, is still allocated when MiniportHaltEx returned.',
    );
  });

  it('a work item runs when the trace runs its routine; a run with nothing queued is a reader error', async () => {
    const r = await check([
      ...initialize(allocItem(), allocItem('0xffffc60a30000100')),
      ...run('MiniportInterruptDPC', 2, queueItem()),
      ...run('NdisIoWorkItemFunction', 0, freeItem()),
      ...run('NdisIoWorkItemFunction', 0),
      ...halt(freeItem('0xffffc60a30000100')),
    ]);
    expect(r.violations).toEqual([]);
    expect(errors(r)).toEqual([
      'trace.jsonl:12: NdisIoWorkItemFunction entered for adapter 0xffffc60a20000000, none of whose work items is queued',
    ]);
    const named = await check([
      ...initialize(allocItem()),
      enter('NdisIoWorkItemFunction', 0, { args: { NdisIoWorkItemHandle: ITEM } }),
      exit('NdisIoWorkItemFunction'),
    ]);
    expect(errors(named)).toEqual([
      'trace.jsonl:5: NdisIoWorkItemFunction entered for IoWorkItem#1, which is not queued',
    ]);
  });

  it('a freed or unknown handle is Ndis_InvalidHandle; a NULL allocation from the trace allocates nothing', async () => {
    const r = await check([
      ...initialize(
        allocItem(),
        freeItem(),
        freeItem(),
        queueItem('0xffffc60a3000f000'),
        allocItem('0x0'),
        allocTimer(TC, '0xc000009a'),
      ),
      ...halt(),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['Ndis_InvalidHandle', 'Ndis_InvalidHandle']);
    expect(r.violations[0].message).toBe(
      'NdisFreeIoWorkItem: NdisIoWorkItemHandle IoWorkItem#1 was already freed; it frees nothing.',
    );
    expect(r.engine.allocationCalls).toBe(3);
  });

  it('a timer still set at the halt is CancelTimerObject (0x7C / 0x09); at a failed initialize 0x7C / 0x0C', async () => {
    const r = await check([...initialize(allocTimer(), setTimer()), ...halt(freeTimer())]);
    expect(rules(r)).toEqual(['NdisFreeTimerObject_TimerSet']);
    const set = await check([
      ...initialize(allocTimer()),
      ...run('MiniportRestart', 0, setTimer(0, 10)),
      ...halt(),
    ]);
    expect(rules(set)).toEqual(['CancelTimerObject', 'Leak_TimerObject']);
    expect(set.violations[0].message).toBe(
      'TimerObject#1 is still set (due at 10 ms, periodic every 10 ms) when MiniportHaltEx returned; cancel it with NdisCancelTimerObject first.',
    );
    expect(set.violations[0].bugCheck?.parameters[0]).toBe(0x09);
    const failed = await check([
      enter('MiniportInitializeEx'),
      allocTimer(),
      setTimer(),
      exit('MiniportInitializeEx', '0xc000009a'),
    ]);
    expect(rules(failed)).toEqual(['NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER', 'Leak_TimerObject']);
    expect(failed.violations[0].bugCheck?.parameters[0]).toBe(0x0c);
  });

  it('InQueue is the trace’s word: a timer it says is not queued expired, even with no NdisTimerFunction', async () => {
    const r = await check([
      ...initialize(allocTimer(), setTimer(), setTimer(0)),
      ...halt(cancelTimer(0), freeTimer()),
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
  });

  it('timers: periodic cancelled at DISPATCH_LEVEL, bad characteristics, NdisTimerFunction for no set timer', async () => {
    const r = await check([
      ...initialize(allocTimer(), allocTimer({ ...TC, TimerFunction: '0x0' }, '0xc0010005', '0x0')),
      ...run('MiniportInterruptDPC', 2, setTimer(0, 10), cancelTimer(1, 2)),
      ...run('NdisTimerFunction', 2),
      ...halt(freeTimer()),
    ]);
    expect(rules(r)).toEqual(['NdisAllocateTimerObject_Characteristics', 'PeriodicTimer']);
    expect(r.violations[0].message).toBe(
      'NdisAllocateTimerObject: TimerFunction is not a function (NDIS_TIMER_FUNCTION); it returns NDIS_STATUS_BAD_CHARACTERISTICS.',
    );
    expect(errors(r)).toEqual([
      'trace.jsonl:10: NdisTimerFunction entered for adapter 0xffffc60a20000000, none of whose timers is set',
    ]);
  });

  it('characteristics the trace logs only as a pointer, or without their function, are accepted', async () => {
    const r = await check([
      ...initialize(
        allocTimer('0xffffc60a2b000000'),
        allocTimer({ Header: TC.Header }, '0x0', '0xffffc60a40000100'),
      ),
      ...halt(freeTimer(), freeTimer('0xffffc60a40000100')),
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------
// Round trips: live host runs, recorded, then checked
// -------------------------------------------------------------------------------------------------

type Bug =
  | 'double-release'
  | 'held-at-return'
  | 'free-queued'
  | 'free-set-timer'
  | 'timer-set-at-halt'
  | 'leak-item'
  | 'leak-lock';

interface Context {
  handle: MiniportAdapter;
  lock: object;
  item: NDIS_IO_WORKITEM_HANDLE | null;
  timer: NDIS_TIMER_OBJECT_HANDLE | null;
  ticks: number;
}

/** The kit's lifecycle with a spin lock, a work item the timer queues, and a periodic timer. */
function syncDriver(bugs: readonly Bug[] = []): HostDriver {
  const has = (bug: Bug) => bugs.includes(bug);
  const c = kit.characteristics();
  const lock = {};
  let handle: unknown = null;
  function workItem(context: unknown): void {
    const ctx = context as Context;
    ndis.NdisAcquireSpinLock(lock);
    ctx.ticks++;
    ndis.NdisReleaseSpinLock(lock);
  }
  function timer(_s1: number, context: unknown): void {
    const ctx = context as Context;
    ndis.NdisDprAcquireSpinLock(lock);
    ndis.NdisDprReleaseSpinLock(lock);
    if (has('double-release')) ndis.NdisDprReleaseSpinLock(lock);
    if (has('held-at-return') && ctx.ticks === 0) ndis.NdisDprAcquireSpinLock(lock);
    if (ctx.item !== null) ndis.NdisQueueIoWorkItem(ctx.item, workItem, ctx);
  }
  c.SetOptionsHandler = () => {
    ndis.NdisAllocateSpinLock(lock);
    return ndis.NDIS_STATUS_SUCCESS;
  };
  c.InitializeHandlerEx = (h) => {
    const ctx: Context = { handle: h as MiniportAdapter, lock, item: null, timer: null, ticks: 0 };
    ndis.NdisMSetMiniportAttributes(h, kit.registrationAttributes(ctx));
    ndis.NdisMSetMiniportAttributes(h, kit.generalAttributes());
    ctx.item = ndis.NdisAllocateIoWorkItem(h);
    const { Status, TimerObject } = ndis.NdisAllocateTimerObject(h, {
      Header: { Type: ndis.NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS, Revision: 1, Size: 24 },
      AllocationTag: kit.KIT_TAG,
      TimerFunction: timer,
      FunctionContext: ctx,
    });
    ctx.timer = TimerObject;
    return Status;
  };
  c.RestartHandler = (context) => {
    const ctx = context as Context;
    if (ctx.timer !== null) ndis.NdisSetTimerObject(ctx.timer, -30_000, 3, ctx);
    return ndis.NDIS_STATUS_SUCCESS;
  };
  c.PauseHandler = (context) => {
    const ctx = context as Context;
    if (ctx.timer !== null && !has('free-set-timer') && !has('timer-set-at-halt'))
      ndis.NdisCancelTimerObject(ctx.timer);
    if (ctx.item !== null && has('free-queued')) {
      ndis.NdisQueueIoWorkItem(ctx.item, workItem, ctx);
      ndis.NdisFreeIoWorkItem(ctx.item);
      ctx.item = null;
    }
    return ndis.NDIS_STATUS_SUCCESS;
  };
  c.HaltHandlerEx = (context) => {
    const ctx = context as Context;
    if (ctx.timer !== null && !has('timer-set-at-halt')) ndis.NdisFreeTimerObject(ctx.timer);
    if (ctx.item !== null && !has('leak-item')) ndis.NdisFreeIoWorkItem(ctx.item);
  };
  c.UnloadHandler = () => {
    if (!has('leak-lock')) ndis.NdisFreeSpinLock(lock);
    ndis.NdisMDeregisterMiniportDriver(handle as NDIS_HANDLE);
  };
  return {
    DriverEntry(DriverObject, RegistryPath) {
      const r = ndis.NdisMRegisterMiniportDriver(DriverObject, RegistryPath, null, c);
      handle = r.NdisMiniportDriverHandle;
      return r.Status;
    },
  };
}

const NIC = 'nic0';
const RUN_HALT: Scenario = [
  { step: 'load' },
  { step: 'addDevice', name: NIC },
  { step: 'initialize', adapter: NIC },
  { step: 'restart', adapter: NIC },
  { step: 'advance', ms: 10 },
  { step: 'halt', adapter: NIC },
  { step: 'unload' },
];

const CASES: readonly [string, Scenario, Bug[]][] = [
  ['correct, full lifecycle', SCENARIOS['full-lifecycle'], []],
  ['correct, pause-restart cycles', SCENARIOS['pause-restart-cycles'], []],
  ['correct, surprise removal', SCENARIOS['surprise-removal'], []],
  ['spin lock released twice', RUN_HALT, ['double-release']],
  ['spin lock held when the timer function returns', RUN_HALT, ['held-at-return']],
  ['work item freed while queued', SCENARIOS['full-lifecycle'], ['free-queued']],
  ['timer freed while set', SCENARIOS['full-lifecycle'], ['free-set-timer']],
  ['timer still set at the halt', SCENARIOS['full-lifecycle'], ['timer-set-at-halt']],
  ['work item leaked at the halt', SCENARIOS['full-lifecycle'], ['leak-item']],
  ['spin lock leaked at unload', SCENARIOS['full-lifecycle'], ['leak-lock']],
];

/**
 * A finding as the round trip compares it. Two things a trace does not carry are left out: time (a
 * timer's "due at" counts from the trace's start, where no time passes but the expiries it shows)
 * and the object a live lock is (a replayed lock is named by its address too).
 */
function comparable(v: Violation) {
  const text = (x: unknown) =>
    typeof x === 'string'
      ? x.replace(/ at 0x[0-9a-f]+/g, '').replace(/due at [0-9.]+ ms/g, 'due at … ms')
      : x;
  const e = essence(v);
  return {
    ...e,
    message: text(e.message),
    args: Object.fromEntries(Object.entries(e.args).map(([k, x]) => [k, text(x)])),
  };
}

describe('round trip: a recorded run of a sync driver checks to the live findings', () => {
  it.each(CASES)('%s', async (_name, scenario, bugs) => {
    const live = recordRun(syncDriver(bugs), scenario);
    expect(live.result.outcome).toBe('completed');
    expect(live.lines.some((l) => l.includes('"callback":"NdisTimerFunction"'))).toBe(true);
    expect(live.lines.some((l) => l.includes('"callback":"NdisIoWorkItemFunction"'))).toBe(true);
    const replay = await checkTrace([Buffer.from(`${live.lines.join('\n')}\n`)]);
    expect(replay.errors.map(String)).toEqual([]);
    expect(replay.violations.map(comparable)).toEqual(live.result.violations.map(comparable));
    const inferred = await checkTrace([Buffer.from(`${withoutEdges(live.lines).join('\n')}\n`)]);
    expect(inferred.violations.map(comparable)).toEqual(live.result.violations.map(comparable));
  });

  it('the bugs are found (the round trip is not trivially empty)', () => {
    const found = CASES.filter(([name]) => !name.startsWith('correct')).map(([, scenario, bugs]) => [
      ...new Set(recordRun(syncDriver(bugs), scenario).result.violations.map((v) => v.rule)),
    ]);
    expect(found).toEqual([
      ['SpinLockRelease'],
      ['SpinLockDpr', 'SpinLock'],
      ['NdisFreeIoWorkItem_Queued'],
      ['NdisFreeTimerObject_TimerSet'],
      ['CancelTimerObject', 'Leak_TimerObject'],
      ['Init_NdisAllocateIoWorkItem'],
      ['Leak_SpinLock'],
    ]);
  });
});

describe('round trip: `run --record` of the netvmini example checks clean', () => {
  it('every default scenario and its own', async () => {
    const file = fileURLToPath(new URL('../../examples/netvmini/driver.ts', import.meta.url));
    const driver = await loadDriver(file);
    try {
      const scenarios = {
        ...SCENARIOS,
        ...((driver.instantiate().scenarios ?? {}) as Record<string, Scenario>),
      };
      for (const [name, scenario] of Object.entries(scenarios)) {
        const trace = join(dir, `${name}.jsonl`);
        const live = runPlan(driver, scenario, null, {}, dir, false, {
          file: trace,
          scenario: name,
          producer: 'test',
        });
        const replay = await checkTrace(trace);
        expect(replay.errors.map(String), name).toEqual([]);
        expect(replay.violations.map(essence), name).toEqual(live.violations.map(essence));
      }
    } finally {
      driver.dispose();
    }
  });
});
