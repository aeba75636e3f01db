// Deterministic scheduler for the simulated kernel: a DPC queue, a passive (work item / completion)
// queue and timers, over simulated time. There is no wall clock and no concurrency: one unit of work
// runs at a time, in kernel order, so every run is reproducible from its seed.

import { Random } from './random.js';

/** Simulated-time ticks per millisecond (a tick is 100 ns, the Windows time unit). */
export const TICKS_PER_MS = 10_000;

/** A unit of scheduled work. */
export type Task = () => void;

/** IRQL at which the scheduler asks for a task to run: 0 = PASSIVE_LEVEL, 2 = DISPATCH_LEVEL. */
export type TaskLevel = 0 | 2;

/** Why runUntilIdle stopped. */
export type RunOutcome = 'idle' | 'time-limit' | 'step-limit';

/** Options for Scheduler. */
export interface SchedulerOptions {
  /** Seed for `random` and for shufflePassive (default 0). */
  seed?: number;
  /** Runs a task at the given IRQL, setting up the execution context (supplied by the machine). */
  run: (level: TaskLevel, task: Task) => void;
  /** Pick the next passive task at random (seeded) instead of FIFO, to shake out ordering assumptions. */
  shufflePassive?: boolean;
  /** Livelock guard: the most steps one runUntilIdle/advance call may run (default 10_000_000). */
  maxSteps?: number;
}

/** Salt of the stream that picks passive tasks, kept apart from `random` so callers can't perturb it. */
const SHUFFLE_SALT = 0x5ca1ab1e;
/** Compact a queue once this many consumed slots have piled up at its head (and they're half of it). */
const COMPACT_AT = 1024;

/** FIFO of tasks: an array with a head index, compacted occasionally (Array.shift is O(n)). */
class TaskQueue {
  private items: (Task | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(task: Task): void {
    this.items.push(task);
  }

  /** Removes and returns the task `offset` places from the head (0 = FIFO order). Queue must hold it. */
  take(offset: number): Task {
    const items = this.items;
    const head = this.head;
    const index = head + offset;
    const task = items[index] as Task;
    // Fill the hole with the head task; order among the rest only matters for FIFO (offset 0).
    items[index] = items[head];
    items[head] = undefined;
    this.head = head + 1;
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AT && this.head * 2 >= items.length) {
      items.copyWithin(0, this.head);
      items.length -= this.head;
      this.head = 0;
    }
    return task;
  }
}

interface TimerEntry {
  due: number;
  /** Insertion order: ties on `due` fire in the order the timers were set. Also the timer id. */
  seq: number;
  task: Task;
  /** Current index in the heap, kept up to date so cancel is O(log n). */
  pos: number;
}

function before(x: TimerEntry, y: TimerEntry): boolean {
  return x.due < y.due || (x.due === y.due && x.seq < y.seq);
}

/** Deterministic kernel-order scheduler for DPCs, timers and passive work over simulated 100-ns ticks. */
export class Scheduler {
  /** The scheduler's seeded random stream, for the machine's own deterministic choices. */
  readonly random: Random;
  private nowTicks = 0;
  private steps = 0;
  private nextSeq = 1;
  private readonly runTask: (level: TaskLevel, task: Task) => void;
  private readonly shuffle: Random | null;
  private readonly maxSteps: number;
  private readonly dpcs = new TaskQueue();
  private readonly passive = new TaskQueue();
  private readonly heap: TimerEntry[] = [];
  private readonly timers = new Map<number, TimerEntry>();

  /** Creates an idle scheduler at time 0. */
  constructor(options: SchedulerOptions) {
    const maxSteps = options.maxSteps ?? 10_000_000;
    if (!(maxSteps >= 1)) throw new RangeError(`Scheduler: maxSteps must be >= 1, got ${maxSteps}`);
    this.maxSteps = maxSteps;
    this.runTask = options.run;
    this.random = new Random(options.seed ?? 0);
    this.shuffle = options.shufflePassive ? this.random.fork(SHUFFLE_SALT) : null;
  }

  /** Current simulated time in 100-ns ticks. */
  get now(): number {
    return this.nowTicks;
  }

  /** True when no DPC, passive task or timer is pending. */
  get idle(): boolean {
    return this.dpcs.length === 0 && this.passive.length === 0 && this.heap.length === 0;
  }

  /** Number of queued DPCs. */
  get pendingDpcs(): number {
    return this.dpcs.length;
  }

  /** Number of queued passive tasks. */
  get pendingPassive(): number {
    return this.passive.length;
  }

  /** Number of timers set and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.heap.length;
  }

  /** Due time of the earliest pending timer, or Infinity when none is pending. */
  get nextTimerDue(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0].due;
  }

  /** Total steps run since construction. */
  get stepsRun(): number {
    return this.steps;
  }

  /** Queues a task to run at DISPATCH_LEVEL before any timer or passive work (FIFO). */
  queueDpc(task: Task): void {
    this.dpcs.push(task);
  }

  /** Queues a task to run at PASSIVE_LEVEL (FIFO, or seeded-random order with shufflePassive). */
  queuePassive(task: Task): void {
    this.passive.push(task);
  }

  /**
   * Sets a one-shot timer firing at absolute time `dueTime` (ticks) at DISPATCH_LEVEL; returns its id.
   * A due time at or before `now` fires at the next step that finds no DPC queued.
   */
  setTimer(dueTime: number, task: Task): number {
    if (Number.isNaN(dueTime)) throw new RangeError('Scheduler.setTimer: dueTime is NaN');
    const seq = this.nextSeq++;
    const entry: TimerEntry = { due: dueTime, seq, task, pos: this.heap.length };
    this.heap.push(entry);
    this.siftUp(entry.pos);
    this.timers.set(seq, entry);
    return seq;
  }

  /** Cancels a pending timer; returns true if it was pending (false if fired, cancelled or unknown). */
  cancelTimer(id: number): boolean {
    const entry = this.timers.get(id);
    if (entry === undefined) return false;
    this.timers.delete(id);
    this.removeAt(entry.pos);
    return true;
  }

  /**
   * Runs one unit of work in kernel order: a queued DPC; else a timer due now; else a passive task;
   * else advances time to the earliest timer and fires it. Returns false when nothing is left.
   */
  step(): boolean {
    if (this.dpcs.length > 0) {
      this.steps++;
      this.runTask(2, this.dpcs.take(0));
      return true;
    }
    const heap = this.heap;
    if (heap.length > 0 && heap[0].due <= this.nowTicks) {
      this.fireFirstTimer();
      return true;
    }
    if (this.passive.length > 0) {
      this.steps++;
      this.runTask(0, this.takePassive());
      return true;
    }
    if (heap.length > 0) {
      this.nowTicks = heap[0].due;
      this.fireFirstTimer();
      return true;
    }
    return false;
  }

  /**
   * Steps until nothing is left ('idle', time unchanged), or until the next timer lies beyond
   * now + limitTicks ('time-limit', time set to that bound, later timers stay pending), or until
   * maxSteps steps have run in this call ('step-limit', e.g. a work item requeueing itself forever).
   */
  runUntilIdle(limitTicks?: number): RunOutcome {
    let bound = Infinity;
    if (limitTicks !== undefined) {
      if (!(limitTicks >= 0)) throw new RangeError(`Scheduler: limitTicks must be >= 0, got ${limitTicks}`);
      bound = this.nowTicks + limitTicks;
    }
    return this.runTo(bound);
  }

  /**
   * Runs everything due up to now + ticks (including DPCs and passive work created meanwhile), then
   * sets now = now + ticks. Returns false (time left where it stopped) if maxSteps ran out first.
   */
  advance(ticks: number): boolean {
    if (!(ticks >= 0)) throw new RangeError(`Scheduler.advance: ticks must be >= 0, got ${ticks}`);
    const bound = this.nowTicks + ticks;
    if (this.runTo(bound) === 'step-limit') return false;
    this.nowTicks = bound;
    return true;
  }

  private runTo(bound: number): RunOutcome {
    const heap = this.heap;
    const limit = this.maxSteps;
    let ran = 0;
    for (;;) {
      if (this.dpcs.length === 0 && this.passive.length === 0) {
        if (heap.length === 0) return 'idle';
        if (heap[0].due > bound) {
          // Time may only move forward: a bound below now (impossible via the public API) is ignored.
          if (bound > this.nowTicks) this.nowTicks = bound;
          return 'time-limit';
        }
      }
      if (ran >= limit) return 'step-limit';
      this.step();
      ran++;
    }
  }

  private takePassive(): Task {
    const n = this.passive.length;
    const shuffle = this.shuffle;
    // With one task there is no choice to make, so don't consume a random number.
    return this.passive.take(shuffle === null || n === 1 ? 0 : shuffle.int(n));
  }

  private fireFirstTimer(): void {
    const entry = this.heap[0];
    this.timers.delete(entry.seq);
    this.removeAt(0);
    this.steps++;
    this.runTask(2, entry.task);
  }

  private removeAt(pos: number): void {
    const heap = this.heap;
    const last = heap.pop() as TimerEntry;
    if (pos === heap.length) return;
    heap[pos] = last;
    last.pos = pos;
    if (pos > 0 && before(last, heap[(pos - 1) >>> 1])) this.siftUp(pos);
    else this.siftDown(pos);
  }

  private siftUp(pos: number): void {
    const heap = this.heap;
    const entry = heap[pos];
    while (pos > 0) {
      const parentPos = (pos - 1) >>> 1;
      const parent = heap[parentPos];
      if (!before(entry, parent)) break;
      heap[pos] = parent;
      parent.pos = pos;
      pos = parentPos;
    }
    heap[pos] = entry;
    entry.pos = pos;
  }

  private siftDown(pos: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[pos];
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
      const c = heap[child];
      if (!before(c, entry)) break;
      heap[pos] = c;
      c.pos = pos;
      pos = child;
    }
    heap[pos] = entry;
    entry.pos = pos;
  }
}
