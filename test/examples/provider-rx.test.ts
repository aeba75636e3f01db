/**
 * examples/provider-rx: the correct driver reports nothing under every scenario and every single and
 * paired fault; its twin's two planted bugs (a NULL used after a failed NdisAllocateSharedMemory, a
 * leak of shared memory on one init-failure path) are found only by fault injection.
 */
import { describe, expect, it } from 'vitest';
import type { MiniportAdapter } from '../../src/engine/objects.js';
import { SCENARIOS } from '../../src/host/scenario.js';
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

const NAMES = [...Object.keys(SCENARIOS), 'receive'];

describe('provider-rx (correct)', () => {
  const driver = useDriver(examplePath('provider-rx', 'driver.ts'));

  it('exports its own receive scenario on top of the defaults', () => {
    expect(Object.keys(scenariosOf(driver())).sort()).toEqual([...NAMES].sort());
  });

  expectCleanUnderEveryPlan(driver, NAMES);

  it('does its work: HAL shared memory (D24) for a contiguous ring and SG-listed blocks, every descriptor used', () => {
    const host = hostAfter(driver(), startAndRun(100));
    const adapter = host.adapter('nic0') as MiniportAdapter;
    const blocks = [...host.engine.provider.live(adapter)];
    expect(blocks).toHaveLength(5);
    const context = adapter.context as { Block: number; RxBufferVa: number[] };
    expect(context.RxBufferVa).toHaveLength(32);
    // Frames, bytes, descriptors whose address was not the posted buffer's.
    const [frames, bytes, bad] = counters(host, context.Block, 3);
    expect(frames).toBe(100);
    expect(bytes).toBeGreaterThan(frames * 60 - 1);
    expect(bad).toBe(0);
    host.step({ step: 'halt', adapter: 'nic0' });
    expect([...host.engine.provider.live(adapter)]).toHaveLength(0);
    expect(host.result().violations).toEqual([]);
  });

  it('calls NdisAllocateSharedMemory after registering SG DMA: the ring, then four receive blocks', () => {
    const { calls } = run(driver(), SCENARIOS['full-lifecycle'], null, true);
    expect(calls.map((c) => `${c.ddi} ${callerOf(c)}`)).toEqual([
      'NdisMRegisterMiniportDriver DriverEntry',
      'NdisAllocateMemoryWithTagPriority MPInitializeEx',
      'NdisMRegisterScatterGatherDma PrxRegisterDma',
      'NdisAllocateSharedMemory PrxAllocRing',
      'NdisAllocateSharedMemory PrxAllocRxBlocks',
      'NdisAllocateSharedMemory PrxAllocRxBlocks',
      'NdisAllocateSharedMemory PrxAllocRxBlocks',
      'NdisAllocateSharedMemory PrxAllocRxBlocks',
      'NdisAllocateTimerObject PrxAllocRxTimer',
    ]);
  });
});

describe('provider-rx (broken twin)', () => {
  const driver = useDriver(examplePath('provider-rx', 'broken.ts'));
  const scenario = SCENARIOS['full-lifecycle'];

  it.each(NAMES)('runs clean without faults in scenario %s (its bugs are on failure paths only)', (name) => {
    expect(describeFindings(run(driver(), scenariosOf(driver())[name]))).toEqual([]);
  });

  it('NULL used after a failed NdisAllocateSharedMemory: fail the ring, the driver page-faults zeroing it', () => {
    const { calls } = run(driver(), scenario, null, true);
    const ring = ordinalOf(calls, (c) => callerOf(c) === 'PrxAllocRing');
    expect(ring).toBe(4);
    const result = run(driver(), scenario, [ring]);
    expect(result.outcome).toBe('driver-threw');
    expect(result.error?.name).toBe('PageFault');
    expect(result.error?.stack[0]).toMatch(/^PrxAllocRing \(.*provider-rx\/broken\.ts:\d+:\d+\)$/);
    expect(rules(result)).toEqual(['Memory_InvalidAccess']);
    expect(result.violations[0].ddi).toBe('NdisFillMemory');
  });

  it.each([2, 3, 4])(
    'leak on one init-failure path: fail receive block %i, the blocks before it leak',
    (block) => {
      const { calls } = run(driver(), scenario, null, true);
      const ordinal = ordinalOf(calls, (c) => callerOf(c) === 'PrxAllocRxBlocks', block);
      const result = run(driver(), scenario, [ordinal]);
      const found = rules(result);
      // The cleanup deregisters SG DMA while the HAL blocks are still allocated: D35 covers the
      // shared memory of either family.
      expect(found).toEqual([
        'Dma_DeregisterWithSharedMemory',
        ...Array<string>(block - 1).fill('Leak_ProviderSharedMemory'),
      ]);
      const leak = result.violations.find((v) => v.rule === 'Leak_ProviderSharedMemory');
      expect(leak?.message).toContain('MiniportInitializeEx returned a failure');
      expect(leak?.allocationSite[0]).toMatch(/^PrxAllocRxBlocks \(/);
    },
  );

  it('every other single fault is handled', () => {
    const { calls, allocationCalls } = run(driver(), scenario, null, true);
    const planted = new Set([
      ordinalOf(calls, (c) => callerOf(c) === 'PrxAllocRing'),
      ...[2, 3, 4].map((b) => ordinalOf(calls, (c) => callerOf(c) === 'PrxAllocRxBlocks', b)),
    ]);
    const found: string[] = [];
    for (let n = 1; n <= allocationCalls + 4; n++) {
      if (planted.has(n)) continue;
      const result = run(driver(), scenario, [n]);
      if (result.outcome !== 'clean') found.push(`nth:${n} ${describeFindings(result).join(' | ')}`);
    }
    expect(found).toEqual([]);
  });
});
