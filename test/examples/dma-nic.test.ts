/**
 * examples/dma-nic: the correct driver reports nothing under every scenario and every single and
 * paired fault (its traffic timer's async growth included); its twin's three planted bugs are found
 * by plain runs, each under its rule id and in the scenarios that reach it.
 */
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { SCENARIOS } from '../../src/host/scenario.js';
import {
  activate,
  failOrdinals,
  NDIS_ERROR_CODE_OUT_OF_RESOURCES,
  readBigUInt64LE,
} from '../../src/index.js';
import {
  callerOf,
  counters,
  describeFindings,
  examplePath,
  expectCleanUnderEveryPlan,
  hostAfter,
  ordinalOf,
  rules,
  run,
  scenariosOf,
  startAndRun,
  useDriver,
} from './helpers.js';

const NAMES = [...Object.keys(SCENARIOS), 'traffic'];

describe('dma-nic (correct)', () => {
  const driver = useDriver(examplePath('dma-nic', 'driver.ts'));

  it('exports its own traffic scenario on top of the defaults', () => {
    expect(Object.keys(scenariosOf(driver())).sort()).toEqual([...NAMES].sort());
  });

  expectCleanUnderEveryPlan(driver, NAMES);

  it('does its work: descriptors hold the buffers physical addresses; the pool grows under bursts and shrinks after', () => {
    const host = hostAfter(driver(), startAndRun(40));
    const adapter = host.adapter('nic0')?.context as {
      Block: number;
      DescArea: number;
      RxChunks: { PhysicalAddress: number; Length: number }[];
    };
    // At 40 ms the heavy burst has grown the pool by a chunk and a large chunk.
    expect(adapter.RxChunks.map((c) => c.Length)).toEqual([32768, 32768, 32768, 65536]);
    const previous = activate(host.engine);
    const firstRx = readBigUInt64LE(adapter.DescArea + 64 * 16);
    activate(previous);
    expect(firstRx).toBe(BigInt(adapter.RxChunks[0].PhysicalAddress));
    host.step({ step: 'advance', ms: 70 });
    // FramesReceived, BytesReceived, GrowthRequests, GrowthFailures, Shrinks.
    const [frames, bytes, growths, failures, shrinks] = counters(host, adapter.Block, 5);
    expect(frames).toBeGreaterThan(100);
    expect(bytes).toBeGreaterThan(frames * 64 - 1);
    expect([growths, failures, shrinks]).toEqual([2, 0, 2]);
    expect(adapter.RxChunks.map((c) => c.Length)).toEqual([32768, 32768]);
    expect(host.result().violations).toEqual([]);
  });

  it('grows through NdisMAllocateSharedMemoryAsyncEx: a request and its completion are two allocation calls', () => {
    const { calls } = run(driver(), SCENARIOS['full-lifecycle'], null, true);
    expect(calls.map((c) => c.ddi)).toEqual([
      'NdisMRegisterMiniportDriver',
      'NdisAllocateMemoryWithTagPriority',
      'NdisMRegisterScatterGatherDma',
      'NdisMAllocateSharedMemory',
      'NdisMAllocateSharedMemory',
      'NdisMAllocateSharedMemory',
      'NdisAllocateTimerObject',
      'NdisMAllocateSharedMemoryAsyncEx',
      'NdisMAllocateSharedMemoryAsyncEx',
      'NdisMAllocateSharedMemoryAsyncEx',
      'NdisMAllocateSharedMemoryAsyncEx',
    ]);
  });

  it('logs a failed NdisMAllocateSharedMemory in MiniportInitializeEx with NdisWriteErrorLogEntry (WriteErrorLog)', () => {
    const host = new Host(driver().instantiate(), { faults: failOrdinals([4]), skipIllegalSteps: true });
    const result = host.run(SCENARIOS['full-lifecycle']);
    expect(result.violations).toEqual([]);
    expect(host.engine.dma.errorLog.map((e) => [e.writer, e.ErrorCode, ...e.values])).toEqual([
      ['driver', NDIS_ERROR_CODE_OUT_OF_RESOURCES, 0x101, 3072],
    ]);
  });
});

describe('dma-nic (broken twin)', () => {
  const driver = useDriver(examplePath('dma-nic', 'broken.ts'));
  const subrange = 'NdisMFreeSharedMemory_Subrange';
  const mismatch = 'NdisMFreeSharedMemory_ParameterMismatch';
  const expected: Record<string, string[]> = {
    'full-lifecycle': [mismatch, subrange],
    'shutdown-power-off': ['NdisMFreeSharedMemory', 'NdisMFreeSharedMemory'],
    'shutdown-bug-check': [],
    'load-failure': [],
    'two-adapters': [subrange, subrange],
    traffic: [mismatch, mismatch, mismatch, mismatch, mismatch, mismatch, subrange],
  };

  it.each(NAMES)('scenario %s finds exactly the planted bugs it reaches', (name) => {
    const result = run(driver(), scenariosOf(driver())[name]);
    expect(result.outcome).toBe((expected[name] ?? [subrange]).length === 0 ? 'clean' : 'violations');
    expect(rules(result)).toEqual(expected[name] ?? [subrange]);
  });

  it('wrong Length: the large chunk grown under the heavy burst is freed with RX_CHUNK_BYTES', () => {
    const result = run(driver(), SCENARIOS['full-lifecycle']);
    const v = result.violations.find((x) => x.rule === mismatch);
    expect(v?.message).toContain('with Length 32768 (allocated 65536)');
    expect(v?.ddi).toBe('NdisMFreeSharedMemory');
    expect(v?.context.callback).toBe('NdisTimerFunction');
    expect(v?.site[0]).toMatch(/^NICShrinkRxPool \(.*dma-nic\/broken\.ts:\d+:\d+\)$/);
  });

  it('subrange free: the RX ring is freed from inside the descriptor area at halt; nothing is freed, nothing leaks', () => {
    const result = run(driver(), SCENARIOS['halt-NdisHaltDeviceDisabled']);
    const [v] = result.violations;
    expect(v.rule).toBe(subrange);
    expect(v.message).toContain('1024 bytes inside the 3072-byte shared memory block');
    expect(v.context.callback).toBe('MiniportHaltEx');
    expect(v.site[0]).toMatch(/^NICFreeRecvResources /);
  });

  it('free in MiniportShutdownEx: at power-off, once per receive chunk; never at bug-check shutdown', () => {
    const result = run(driver(), SCENARIOS['shutdown-power-off']);
    expect(result.violations.every((v) => v.context.callback === 'MiniportShutdownEx')).toBe(true);
    expect(result.violations[0].message).toContain('called from MiniportShutdownEx');
    expect(describeFindings(run(driver(), SCENARIOS['shutdown-bug-check']))).toEqual([]);
  });

  it('the subrange bug is in the shared cleanup routine, so an init failure after the rings reaches it too', () => {
    const { calls } = run(driver(), SCENARIOS['full-lifecycle'], null, true);
    const timer = ordinalOf(calls, (c) => c.ddi === 'NdisAllocateTimerObject');
    expect(callerOf(calls[timer - 1])).toBe('NICAllocTrafficTimer');
    expect(rules(run(driver(), SCENARIOS['full-lifecycle'], [timer]))).toEqual([subrange]);
  });
});
