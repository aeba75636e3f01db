/**
 * Recording: a live run through the general-memory DDIs, recorded with TraceWriter, then checked
 * from the trace gives the same findings — rule, message, DDI, arguments, driver, adapter, IRQL and
 * callback (allocation sites aside: a trace has no stacks).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { failOrdinals } from '../../src/engine/faults.js';
import { activate } from '../../src/ndis/active.js';
import * as memory from '../../src/ndis/memory.js';
import { checkTrace } from '../../src/trace/replay.js';
import { recordDdis, recordFaults, recordInvoke, TraceWriter, traceFile } from '../../src/trace/writer.js';
import { BugCheck, type Violation } from '../../src/verifier/violation.js';
import { validate } from './json-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => activate(null));

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schema/trace-v1.schema.json', import.meta.url), 'utf8'),
);
const TAG = 0x74736554;
const TAG2 = 0x32676154;
const NONCACHED = 2;

/** A live run of general-memory misuse, recorded; returns the live findings and the trace lines. */
function liveRun(options: EngineOptions = {}, sink?: (line: string) => void) {
  const lines: string[] = [];
  const writer = new TraceWriter(sink ?? ((line) => lines.push(line)), {
    producer: 'test',
    driver: { name: 'TestDriver' },
  });
  const engine = new Engine({
    ...options,
    faults: options.faults ? recordFaults(writer, options.faults) : null,
  });
  activate(engine);
  const driver = engine.createDriver('TestDriver');
  const adapter = engine.createAdapter(driver, 'TestAdapter');
  const api = recordDdis(memory, writer, engine.context);
  let bugCheck: BugCheck | null = null;
  const blocks: Record<string, number> = {};
  try {
    recordInvoke(writer, engine, 'MiniportInitializeEx', driver, adapter, 0, () => {
      blocks.a = api.NdisAllocateMemoryWithTagPriority(adapter, 64, TAG, 16);
      blocks.b = api.NdisAllocateMemoryWithTagPriority(driver, 128, TAG, 16);
      blocks.zero = api.NdisAllocateMemoryWithTagPriority(adapter, 0, TAG, 16);
      blocks.untagged = api.NdisAllocateMemoryWithTagPriority(adapter, 32, 0, 16);
      blocks.forged = api.NdisAllocateMemoryWithTagPriority(0x1234 as unknown as object, 32, TAG, 16);
      blocks.odd = api.NdisAllocateMemoryWithTagPriority(adapter, 48, TAG2, 99);
      return 0;
    });
    recordInvoke(writer, engine, 'MiniportInterruptDPC', driver, adapter, 2, () => {
      api.NdisFreeMemory(blocks.b, 0, NONCACHED);
      api.NdisFreeMemoryWithTag(blocks.zero, TAG);
    });
    recordInvoke(
      writer,
      engine,
      'MiniportHaltEx',
      driver,
      adapter,
      0,
      () => {
        api.NdisFreeMemoryWithTagPriority(adapter, blocks.a, TAG2);
        api.NdisFreeMemory(blocks.a, 0, 0);
        api.NdisFreeMemory(blocks.odd + 4, 0, 0);
        api.NdisFreeMemory(-0x123456780000, 0, 0);
        api.NdisFreeMemoryWithTagPriority(driver, blocks.untagged, 0);
      },
      { HaltAction: 0 },
    );
    writer.edge('haltReturned', driver, adapter);
    engine.lifecycleEdge('haltReturned', driver, adapter);
    writer.edge('driverUnload', driver, null);
    engine.lifecycleEdge('driverUnload', driver, null);
  } catch (error) {
    if (!(error instanceof BugCheck)) throw error;
    bugCheck = error;
  }
  activate(null);
  return { violations: engine.violations, lines, bugCheck, blocks };
}

/** What must be equal between a live finding and its replay. */
function essence(v: Violation) {
  return {
    rule: v.rule,
    message: v.message,
    ddi: v.ddi,
    args: v.args,
    driver: v.driver,
    adapter: v.adapter,
    irql: v.irql,
    callback: v.context.callback,
    bugCheck: v.bugCheck,
  };
}

const check = (lines: string[], options = {}) => checkTrace([Buffer.from(`${lines.join('\n')}\n`)], options);

describe('TraceWriter round trip', () => {
  it('a recorded live run checks to the same findings', async () => {
    const live = liveRun();
    // Every general-memory rule this run breaks (the leak rules may report a block at more than one edge).
    expect([...new Set(live.violations.map((v) => v.rule))]).toEqual([
      'Pool_ZeroByteAllocation',
      'NdisAllocateMemoryWithTagPriority',
      'Ndis_InvalidHandle',
      'Pool_InvalidPriority',
      'Irql_Miscellaneous_Function',
      'NdisFreeMemory_MemoryFlags',
      'NdisFreeMemoryWithTag_Deprecated',
      'Pool_FreeTagMismatch',
      'Pool_DoubleFree',
      'Pool_FreeInteriorAddress',
      'Pool_FreeUnknownAddress',
      'Pool_FreeHandleMismatch',
      'Leak_PoolMemory',
    ]);
    const replay = await check(live.lines);
    expect(replay.errors).toEqual([]);
    expect(replay.violations.map(essence)).toEqual(live.violations.map(essence));
  });

  it('writes lines the schema accepts, with handles as stable 64-bit hex and names on first sight', () => {
    const { lines } = liveRun();
    for (const line of lines) expect(validate(SCHEMA, JSON.parse(line)), line).toEqual([]);
    const enters = lines.map((l) => JSON.parse(l)).filter((e) => e.kind === 'enter');
    expect(enters[0]).toMatchObject({
      driverName: 'TestDriver',
      adapterName: 'TestAdapter',
      driver: '0xffffe00000000000',
    });
    expect(enters[1].driverName).toBeUndefined();
    expect(enters[1].driver).toBe(enters[0].driver);
    expect(enters[2].args).toEqual({ HaltAction: 0 });
    const forged = lines.map((l) => JSON.parse(l)).find((e) => e.args?.NdisHandle === '0x1234');
    expect(forged.result).toEqual({ VirtualAddress: '0x0' });
  });

  it('records injected faults, and the replay takes the failed outcome from the trace', async () => {
    const live = liveRun({ faults: failOrdinals([2]) });
    expect(live.blocks.b).toBe(0);
    const faults = live.lines.filter((l) => l.includes('"kind":"fault"'));
    expect(faults).toEqual(['{"kind":"fault","ddi":"NdisAllocateMemoryWithTagPriority","ordinal":2}']);
    const replay = await check(live.lines);
    expect(replay.errors).toEqual([]);
    expect(replay.violations.map(essence)).toEqual(live.violations.map(essence));
  });

  it('under the bug-check policy the replay stops at the same bug check', async () => {
    const live = liveRun({ policy: 'bugcheck' });
    expect(live.bugCheck?.info?.code).toBe(0xc4);
    const replay = await check(live.lines, { policy: 'bugcheck' });
    expect(replay.bugCheck?.info).toEqual(live.bugCheck?.info);
    expect(replay.bugCheck?.violation.message).toBe(live.bugCheck?.violation.message);
  });

  it('writes to a file, gzip-compressed when it ends in .gz, and checks from it', async () => {
    for (const name of ['run.jsonl', 'run.jsonl.gz']) {
      const path = join(dir, name);
      const file = traceFile(path);
      const live = liveRun({}, file.write);
      file.close();
      const bytes = readFileSync(path);
      const text = name.endsWith('.gz') ? gunzipSync(bytes).toString() : bytes.toString();
      expect(text.split('\n')[0]).toContain('"format":"ndis-sim-trace"');
      const replay = await checkTrace(path);
      expect(replay.errors).toEqual([]);
      expect(replay.violations.map(essence)).toEqual(live.violations.map(essence));
    }
  });

  it('encodes statuses, structures and out values by the DDI shapes', () => {
    const lines: string[] = [];
    const w = new TraceWriter((l) => lines.push(l));
    const handler = () => 0;
    w.call(
      'NdisMRegisterScatterGatherDma',
      [
        { name: 'A' },
        { Header: { Type: 0x83, Revision: 1, Size: 36 }, Flags: 1, ProcessSGListHandler: handler },
      ],
      { Status: 0, NdisMiniportDmaHandle: { dma: true } },
      0,
    );
    w.call('NdisMFreePort', { NdisMiniportHandle: null, PortNumber: 1 }, 0xc023002e);
    w.call('NdisMAllocateSharedMemory', [null, 4096, 1], {
      VirtualAddress: -0x600000000000,
      PhysicalAddress: 0x12a400000,
    });
    w.call('NdisSetTimerObject', [{ timer: 1 }, -10000], 0);
    w.exit('MiniportInitializeEx', null, null, 0, 0xc000009a);
    w.irql(2);
    w.fault('NdisMAllocateSharedMemory', 3);
    const events = lines.slice(1).map((l) => JSON.parse(l));
    expect(events[0].args.DmaDescription).toEqual({
      Header: { Type: 0x83, Revision: 1, Size: 36 },
      Flags: 1,
      ProcessSGListHandler: '0xffffe00000000010',
    });
    expect(events[0]).toMatchObject({
      status: '0x0',
      result: { NdisMiniportDmaHandle: '0xffffe00000000020' },
    });
    expect(events[1]).toMatchObject({
      args: { NdisMiniportHandle: '0x0', PortNumber: 1 },
      status: '0xc023002e',
    });
    expect(events[2].result).toEqual({
      VirtualAddress: '0xffffa00000000000',
      PhysicalAddress: '0x000000012a400000',
    });
    // Optional TypeScript arguments left out are what C passes for them: 0 and NULL.
    expect(events[3]).toMatchObject({
      args: { DueTime: -10000, MillisecondsPeriod: 0, FunctionContext: '0x0' },
      result: { InQueue: 0 },
    });
    expect(events[4]).toMatchObject({ kind: 'exit', status: '0xc000009a' });
    for (const line of lines) expect(validate(SCHEMA, JSON.parse(line)), line).toEqual([]);
    expect(() => w.call('NdisFrobnicate', [])).toThrow(/unknown DDI/);
  });
});
