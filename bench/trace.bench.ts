/**
 * Trace checking throughput beside its floor — reading the same file and JSON.parse-ing every line
 * in the same process, both per CPU second (issue 6: target >= 0.7x the floor's events/s) — and resident memory while
 * checking: a trace of many events with few outstanding, and one with a million allocations
 * outstanding at its peak. TRACE_BENCH_EVENTS sets the size of the first trace (default 1e6).
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex64 } from '../src/trace/hex.js';
import { readLines } from '../src/trace/lines.js';
import { checkTrace } from '../src/trace/replay.js';
import { figure } from './harness.js';

const DRIVER = '0xffffe00000000000';
const ADAPTER = '0xffffe00000000010';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"bench","pointerSize":8,"driver":{"name":"BenchDriver"}}';
/** 0xffffa00000000000, the simulated kernel VA base. */
const VA = -0x600000000000;

function allocLine(i: number): string {
  return `{"kind":"call","ddi":"NdisAllocateMemoryWithTagPriority","irql":0,"args":{"NdisHandle":"${ADAPTER}","Length":256,"Tag":1953719636,"Priority":16},"result":{"VirtualAddress":"${hex64(VA + i * 0x200)}"}}`;
}

function freeLine(i: number): string {
  return `{"kind":"call","ddi":"NdisFreeMemory","irql":0,"args":{"VirtualAddress":"${hex64(VA + i * 0x200)}","Length":0,"MemoryFlags":0}}`;
}

/** Writes a trace: enter, the allocations and frees `body` produces, exit, the halt edge. */
function writeTrace(path: string, body: (emit: (line: string) => void) => void): number {
  const fd = openSync(path, 'w');
  let buffer: string[] = [];
  let events = 0;
  const emit = (line: string) => {
    buffer.push(line);
    events++;
    if (buffer.length >= 8192) {
      writeSync(fd, `${buffer.join('\n')}\n`);
      buffer = [];
    }
  };
  buffer.push(HEADER);
  emit(
    `{"kind":"enter","callback":"MiniportInitializeEx","driver":"${DRIVER}","adapter":"${ADAPTER}","irql":0}`,
  );
  body(emit);
  emit('{"kind":"exit","callback":"MiniportInitializeEx","status":"0x0"}');
  emit(`{"kind":"edge","edge":"haltReturned","driver":"${DRIVER}","adapter":"${ADAPTER}"}`);
  writeSync(fd, `${buffer.join('\n')}\n`);
  closeSync(fd);
  return events;
}

/** `events` events, allocations and frees with at most `window` blocks outstanding. */
function churn(events: number, window: number): (emit: (line: string) => void) => void {
  return (emit) => {
    const pairs = Math.floor((events - 3) / 2);
    for (let i = 0; i < pairs + window; i++) {
      if (i < pairs) emit(allocLine(i));
      if (i >= window) emit(freeLine(i - window));
    }
  };
}

/** A C driver's addresses (not ndis-sim's size-class slots): accesses find blocks through the page index. */
const C_VA = -0x39f5bfc00000;

/** 1024 blocks allocated, then `events` reads and writes spread over them, then the frees. */
function accesses(events: number): (emit: (line: string) => void) => void {
  return (emit) => {
    for (let i = 0; i < 1024; i++)
      emit(allocLine(i).replace(hex64(VA + i * 0x200), hex64(C_VA + i * 0x1000 + 0x40)));
    for (let j = 0; j < events; j++) {
      const at = hex64(C_VA + (j % 1024) * 0x1000 + 0x40 + ((j >> 10) % 63) * 4);
      emit(`{"kind":"access","op":"readUInt32LE","address":"${at}","size":4,"write":${(j & 1) === 1}}`);
    }
    for (let i = 0; i < 1024; i++)
      emit(freeLine(i).replace(hex64(VA + i * 0x200), hex64(C_VA + i * 0x1000 + 0x40)));
  };
}

/** Per second of wall time and of CPU time (user + system: steadier on a shared machine). */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

async function rate(count: () => Promise<number>): Promise<Rate> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const n = await count();
  const used = process.cpuUsage(cpu);
  return { wall: n / ((performance.now() - wall) / 1000), cpu: n / ((used.user + used.system) / 1e6) };
}

const best = (rates: readonly Rate[]): Rate => ({
  wall: Math.max(...rates.map((r) => r.wall)),
  cpu: Math.max(...rates.map((r) => r.cpu)),
});

/** The floor: read the file with the same splitter and JSON.parse every line. */
function floor(path: string): Promise<Rate> {
  return rate(async () => {
    let parsed = 0;
    await readLines(path, (text) => {
      if (JSON.parse(text) !== null) parsed++;
      return undefined;
    });
    return parsed;
  });
}

interface Checked {
  readonly rate: Rate;
  /** Peak resident memory above the level before the check, in MiB. */
  readonly rssMiB: number;
}

async function check(path: string): Promise<Checked> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const r = await rate(async () => {
    const result = await checkTrace(path, {
      onProgress: () => {
        const rss = process.memoryUsage.rss();
        if (rss > peak) peak = rss;
      },
    });
    if (result.violations.length !== 0 || result.errorCount !== 0)
      throw new Error(`${path} must check clean`);
    return result.events;
  });
  return { rate: r, rssMiB: (peak - base) / 2 ** 20 };
}

export interface TraceBenchResult {
  readonly events: number;
  /** Events per second checked, and lines per second of the floor (wall and CPU time). */
  readonly check: Rate;
  readonly floor: Rate;
  /** check / floor, by CPU time and by wall time. */
  readonly ratio: Rate;
  readonly target: number;
  readonly rssMiB: number;
  readonly outstanding: number;
  readonly outstandingRssMiB: number;
}

/** Runs the trace benchmarks (about 30 s for the default sizes). */
export async function traceBenchmarks(): Promise<TraceBenchResult> {
  const events = Number(process.env.TRACE_BENCH_EVENTS ?? 1e6);
  const outstanding = 1e6;
  const target = 0.7;
  const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-trace-bench-'));
  try {
    const churnPath = join(dir, 'churn.jsonl');
    const written = writeTrace(churnPath, churn(events, 1024));
    const mib = statSync(churnPath).size / 2 ** 20;
    // Floor and path alternately, four times each; the best of each counts (as harness.ts does).
    const floors: Rate[] = [];
    const checks: Checked[] = [];
    for (let round = 0; round < 4; round++) {
      floors.push(await floor(churnPath));
      checks.push(await check(churnPath));
    }
    const floorRate = best(floors);
    const checkRate = best(checks.map((c) => c.rate));
    const ratio = { wall: checkRate.wall / floorRate.wall, cpu: checkRate.cpu / floorRate.cpu };
    const rssMiB = Math.max(...checks.map((c) => c.rssMiB));
    const m = (x: number) => (x / 1e6).toFixed(2);
    console.log(
      `${`trace check, ${written.toExponential(0)} events (${mib.toFixed(0)} MiB)`.padEnd(58)} ${m(checkRate.cpu).padStart(9)} M events/s   floor ${m(floorRate.cpu).padStart(6)} M lines/s (read + JSON.parse)   ratio ${ratio.cpu.toFixed(2)}x (target >= ${target}x, ${ratio.cpu >= target ? 'within target' : 'BELOW target'}; per CPU second)`,
    );
    console.log(
      `${'  the same by wall time'.padEnd(58)} ${m(checkRate.wall).padStart(9)} M events/s   floor ${m(floorRate.wall).padStart(6)} M lines/s                      ratio ${ratio.wall.toFixed(2)}x`,
    );
    figure('  resident memory while checking it (peak rss delta)', rssMiB, 'MiB');

    const accessPath = join(dir, 'access.jsonl');
    writeTrace(accessPath, accesses(events));
    const accessFloor = await floor(accessPath);
    const accessCheck = await check(accessPath);
    console.log(
      `${"trace check, access events (a C driver's addresses)".padEnd(58)} ${m(accessCheck.rate.cpu).padStart(9)} M events/s   floor ${m(accessFloor.cpu).padStart(6)} M lines/s (read + JSON.parse)   ratio ${(accessCheck.rate.cpu / accessFloor.cpu).toFixed(2)}x (per CPU second)`,
    );

    const heapPath = join(dir, 'outstanding.jsonl');
    writeTrace(heapPath, (emit) => {
      for (let i = 0; i < outstanding; i++) emit(allocLine(i));
      for (let i = 0; i < outstanding; i++) emit(freeLine(i));
    });
    const held = await check(heapPath);
    figure(
      `trace check with ${outstanding.toExponential(0)} allocations outstanding (peak rss delta)`,
      held.rssMiB,
      'MiB',
    );
    figure('  its throughput (per CPU second)', held.rate.cpu / 1e6, 'M events/s');
    return {
      events: written,
      check: checkRate,
      floor: floorRate,
      ratio,
      target,
      rssMiB,
      outstanding,
      outstandingRssMiB: held.rssMiB,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
