/**
 * One verified NdisAllocateMemoryWithTagPriority + NdisFreeMemory pair, with and without
 * allocation-site capture, beside its floor: a Map insert and delete of a record keyed by the same
 * kind of 64-bit address (issue 2: target <= 1.5x without capture, <= 3x with it).
 */
import { Engine } from '../src/engine/engine.js';
import { activate } from '../src/ndis/active.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemory } from '../src/ndis/memory.js';
import { type Comparison, compare } from './harness.js';

const TAG = 0x74736554; // 'Test'
const LENGTH = 256;
const NORMAL = 16;

function floor(): () => unknown {
  const table = new Map<number, { base: number; length: number; tag: number; owner: object }>();
  const owner = {};
  let va = -0x600000000000;
  return () => {
    va += 0x1000;
    table.set(va, { base: va, length: LENGTH, tag: TAG, owner });
    return table.delete(va);
  };
}

function pair(captureAllocationSites: boolean): () => unknown {
  const engine = new Engine({ captureAllocationSites, captureSites: false });
  const driver = engine.createDriver('BenchDriver');
  activate(engine);
  return () => {
    const p = NdisAllocateMemoryWithTagPriority(driver, LENGTH, TAG, NORMAL);
    NdisFreeMemory(p, LENGTH, 0);
    return p;
  };
}

/** Runs the general-memory benchmarks. */
export async function poolBenchmarks(): Promise<Comparison[]> {
  const results: Comparison[] = [];
  results.push(await compare('pool alloc+free pair, no site capture', floor(), pair(false), 1.5));
  results.push(await compare('pool alloc+free pair, with allocation-site capture', floor(), pair(true), 3));
  activate(null);
  return results;
}
