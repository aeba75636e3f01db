import { describe, expect, it } from 'vitest';
import { Scheduler, type Task, type TaskLevel, TICKS_PER_MS } from '../../src/machine/scheduler.js';

function makeScheduler(options: { seed?: number; shufflePassive?: boolean; maxSteps?: number } = {}) {
  const levels: TaskLevel[] = [];
  const sched = new Scheduler({
    ...options,
    run: (level: TaskLevel, task: Task) => {
      levels.push(level);
      task();
    },
  });
  return { sched, levels };
}

describe('Scheduler', () => {
  it('starts idle at time 0', () => {
    const { sched } = makeScheduler();
    expect(sched.now).toBe(0);
    expect(sched.idle).toBe(true);
    expect(sched.step()).toBe(false);
    expect(sched.runUntilIdle()).toBe('idle');
    expect(sched.stepsRun).toBe(0);
    expect(TICKS_PER_MS).toBe(10_000);
  });

  it('runs DPCs before passive work, each FIFO, at the right level', () => {
    const { sched, levels } = makeScheduler();
    const order: string[] = [];
    sched.queuePassive(() => order.push('p1'));
    sched.queueDpc(() => order.push('d1'));
    sched.queuePassive(() => {
      order.push('p2');
      sched.queueDpc(() => order.push('d3'));
      sched.queuePassive(() => order.push('p4'));
    });
    sched.queuePassive(() => order.push('p3'));
    sched.queueDpc(() => order.push('d2'));
    expect(sched.pendingDpcs).toBe(2);
    expect(sched.pendingPassive).toBe(3);
    expect(sched.runUntilIdle()).toBe('idle');
    expect(order).toEqual(['d1', 'd2', 'p1', 'p2', 'd3', 'p3', 'p4']);
    expect(levels).toEqual([2, 2, 0, 0, 2, 0, 0]);
    expect(sched.stepsRun).toBe(7);
    expect(sched.now).toBe(0);
  });

  it('fires timers in (due, insertion) order at DISPATCH, advancing time', () => {
    const { sched, levels } = makeScheduler();
    const fired: Array<[string, number]> = [];
    const at = (name: string) => () => fired.push([name, sched.now]);
    sched.setTimer(300, at('c'));
    sched.setTimer(100, at('a1'));
    sched.setTimer(200, at('b'));
    sched.setTimer(100, at('a2'));
    sched.setTimer(100, at('a3'));
    expect(sched.pendingTimers).toBe(5);
    expect(sched.nextTimerDue).toBe(100);
    expect(sched.runUntilIdle()).toBe('idle');
    expect(fired).toEqual([
      ['a1', 100],
      ['a2', 100],
      ['a3', 100],
      ['b', 200],
      ['c', 300],
    ]);
    expect(levels).toEqual([2, 2, 2, 2, 2]);
    expect(sched.pendingTimers).toBe(0);
    expect(sched.nextTimerDue).toBe(Infinity);
  });

  it('orders timers correctly under many random insertions', () => {
    const { sched } = makeScheduler();
    const fired: number[] = [];
    const expected: Array<[number, number]> = [];
    for (let i = 0; i < 2000; i++) {
      const due = sched.random.int(100);
      expected.push([due, i]);
      sched.setTimer(due, () => fired.push(i));
    }
    sched.runUntilIdle();
    expected.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(fired).toEqual(expected.map((e) => e[1]));
  });

  it('runs a due timer before passive work but after DPCs', () => {
    const { sched } = makeScheduler();
    const order: string[] = [];
    sched.queuePassive(() => order.push('p'));
    sched.setTimer(0, () => order.push('t'));
    sched.queueDpc(() => order.push('d'));
    sched.runUntilIdle();
    expect(order).toEqual(['d', 't', 'p']);
  });

  it('runs passive work before advancing time to a future timer', () => {
    const { sched } = makeScheduler();
    const order: Array<[string, number]> = [];
    sched.setTimer(50, () => order.push(['t', sched.now]));
    sched.queuePassive(() => order.push(['p', sched.now]));
    sched.runUntilIdle();
    expect(order).toEqual([
      ['p', 0],
      ['t', 50],
    ]);
  });

  it('cancels timers exactly', () => {
    const { sched } = makeScheduler();
    const fired: string[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(sched.setTimer(10 * (i + 1), () => fired.push(`t${i}`)));
    expect(sched.cancelTimer(ids[0])).toBe(true);
    expect(sched.cancelTimer(ids[5])).toBe(true);
    expect(sched.cancelTimer(ids[9])).toBe(true);
    expect(sched.cancelTimer(ids[5])).toBe(false);
    expect(sched.cancelTimer(12345)).toBe(false);
    expect(sched.pendingTimers).toBe(7);
    expect(sched.nextTimerDue).toBe(20);
    expect(sched.runUntilIdle()).toBe('idle');
    expect(fired).toEqual(['t1', 't2', 't3', 't4', 't6', 't7', 't8']);
    expect(sched.cancelTimer(ids[1])).toBe(false);
    expect(sched.pendingTimers).toBe(0);
    expect(sched.now).toBe(90);
  });

  it('lets a timer cancel or re-arm other timers', () => {
    const { sched } = makeScheduler();
    const fired: Array<[string, number]> = [];
    let periodic = 0;
    const tick = () => {
      fired.push(['tick', sched.now]);
      if (++periodic < 3) sched.setTimer(sched.now + 10, tick);
    };
    sched.setTimer(10, tick);
    const victim = sched.setTimer(25, () => fired.push(['victim', sched.now]));
    sched.setTimer(20, () => {
      fired.push(['killer', sched.now]);
      expect(sched.cancelTimer(victim)).toBe(true);
    });
    sched.runUntilIdle();
    expect(fired).toEqual([
      ['tick', 10],
      // Same due time: the killer was set before the re-armed tick, so it fires first.
      ['killer', 20],
      ['tick', 20],
      ['tick', 30],
    ]);
  });

  it('advance runs everything due up to the bound, then sets the time', () => {
    const { sched } = makeScheduler();
    const fired: Array<[string, number]> = [];
    sched.setTimer(5, () => {
      fired.push(['t5', sched.now]);
      sched.queueDpc(() => fired.push(['dpc', sched.now]));
      sched.queuePassive(() => fired.push(['work', sched.now]));
    });
    sched.setTimer(10, () => fired.push(['t10', sched.now]));
    sched.setTimer(11, () => fired.push(['t11', sched.now]));
    expect(sched.advance(10)).toBe(true);
    expect(sched.now).toBe(10);
    expect(fired).toEqual([
      ['t5', 5],
      ['dpc', 5],
      ['work', 5],
      ['t10', 10],
    ]);
    expect(sched.pendingTimers).toBe(1);
    expect(sched.advance(0)).toBe(true);
    expect(sched.now).toBe(10);
    expect(sched.advance(100)).toBe(true);
    expect(sched.now).toBe(110);
    expect(fired.at(-1)).toEqual(['t11', 11]);
    expect(sched.idle).toBe(true);
  });

  it('runUntilIdle stops at the time limit leaving later timers pending', () => {
    const { sched } = makeScheduler();
    const fired: number[] = [];
    sched.setTimer(TICKS_PER_MS, () => fired.push(sched.now));
    sched.setTimer(3 * TICKS_PER_MS, () => fired.push(sched.now));
    expect(sched.runUntilIdle(2 * TICKS_PER_MS)).toBe('time-limit');
    expect(sched.now).toBe(2 * TICKS_PER_MS);
    expect(fired).toEqual([TICKS_PER_MS]);
    expect(sched.pendingTimers).toBe(1);
    expect(sched.idle).toBe(false);
    // A timer exactly at the bound fires.
    expect(sched.runUntilIdle(TICKS_PER_MS)).toBe('idle');
    expect(fired).toEqual([TICKS_PER_MS, 3 * TICKS_PER_MS]);
    expect(sched.now).toBe(3 * TICKS_PER_MS);
    // Idle with a limit: time does not move.
    expect(sched.runUntilIdle(1000)).toBe('idle');
    expect(sched.now).toBe(3 * TICKS_PER_MS);
  });

  it('stops a livelock at the step limit', () => {
    const { sched } = makeScheduler({ maxSteps: 1000 });
    let runs = 0;
    const requeue = () => {
      runs++;
      sched.queuePassive(requeue);
    };
    sched.queuePassive(requeue);
    expect(sched.runUntilIdle()).toBe('step-limit');
    expect(runs).toBe(1000);
    expect(sched.stepsRun).toBe(1000);
    expect(sched.pendingPassive).toBe(1);
    // The limit is per call.
    expect(sched.runUntilIdle()).toBe('step-limit');
    expect(runs).toBe(2000);
    expect(sched.advance(10)).toBe(false);
    expect(sched.now).toBe(0);
  });

  it('a step limit equal to the work needed still reports idle', () => {
    const { sched } = makeScheduler({ maxSteps: 3 });
    for (let i = 0; i < 3; i++) sched.queuePassive(() => {});
    expect(sched.runUntilIdle()).toBe('idle');
  });

  it('handles long queues (compaction keeps FIFO order)', () => {
    const { sched } = makeScheduler();
    const seen: number[] = [];
    let next = 0;
    // Interleave pushes and pops so the head index moves well past the compaction threshold.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 200; i++) {
        const k = next++;
        sched.queueDpc(() => seen.push(k));
      }
      for (let i = 0; i < 150; i++) sched.step();
    }
    sched.runUntilIdle();
    expect(seen).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  describe('shufflePassive', () => {
    function passiveOrder(seed: number, n = 20): number[] {
      const { sched } = makeScheduler({ seed, shufflePassive: true });
      const order: number[] = [];
      for (let i = 0; i < n; i++) sched.queuePassive(() => order.push(i));
      sched.runUntilIdle();
      return order;
    }

    it('is deterministic for a seed and runs every task once', () => {
      const a = passiveOrder(7);
      expect(passiveOrder(7)).toEqual(a);
      expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('differs between seeds and from FIFO', () => {
      const a = passiveOrder(1);
      const b = passiveOrder(2);
      expect(a).not.toEqual(b);
      expect(a).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('does not shuffle DPCs and is not perturbed by use of sched.random', () => {
      const run = (drawExtra: boolean) => {
        const { sched } = makeScheduler({ seed: 3, shufflePassive: true });
        const order: string[] = [];
        for (let i = 0; i < 5; i++) sched.queueDpc(() => order.push(`d${i}`));
        for (let i = 0; i < 10; i++)
          sched.queuePassive(() => {
            if (drawExtra) sched.random.nextU32();
            order.push(`p${i}`);
          });
        sched.runUntilIdle();
        return order;
      };
      const plain = run(false);
      expect(plain.slice(0, 5)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
      expect(run(true)).toEqual(plain);
    });
  });

  it('rejects invalid arguments', () => {
    const { sched } = makeScheduler();
    expect(() => sched.setTimer(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => sched.advance(-1)).toThrow(RangeError);
    expect(() => sched.runUntilIdle(-1)).toThrow(RangeError);
    expect(() => new Scheduler({ run: () => {}, maxSteps: 0 })).toThrow(RangeError);
  });
});
