/**
 * The bundled demo (`npm start` until the ndis-sim command exists): a small miniport's
 * general-memory handling, once correct and once with typical bugs, checked by the verifier.
 */

import { Engine } from '../engine/engine.js';
import { readUInt32LE, writeUInt32LE } from '../ndis/access.js';
import { activate } from '../ndis/active.js';
import { DISPATCH_LEVEL, NormalPoolPriority, PASSIVE_LEVEL } from '../ndis/constants.js';
import {
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisFreeMemoryWithTagPriority,
} from '../ndis/memory.js';
import { formatFindings } from '../report/text.js';
import { describeTag } from '../verifier/format.js';

const TAG_ADAPTER = 0x64414d44; // 'DMAd' in memory order
const TAG_RX = 0x78524d44; // 'DMRx'

function correctDriver(engine: Engine): void {
  const driver = engine.createDriver('demo-correct');
  const adapter = engine.createAdapter(driver, 'nic0');
  engine.invoke('MiniportInitializeEx', driver, adapter, PASSIVE_LEVEL, () => {
    const ctx = NdisAllocateMemoryWithTagPriority(adapter, 256, TAG_ADAPTER, NormalPoolPriority);
    writeUInt32LE(ctx, 0x1234);
    const rx = NdisAllocateMemoryWithTagPriority(adapter, 2048, TAG_RX, NormalPoolPriority);
    engine.invoke('MiniportHaltEx', driver, adapter, PASSIVE_LEVEL, () => {
      NdisFreeMemoryWithTagPriority(adapter, rx, TAG_RX);
      NdisFreeMemory(ctx, 0, 0);
    });
  });
  engine.lifecycleEdge('haltReturned', driver, adapter);
}

function brokenDriver(engine: Engine): void {
  const driver = engine.createDriver('demo-broken');
  const adapter = engine.createAdapter(driver, 'nic1');
  let ctx = 0;
  let rx = 0;
  engine.invoke('MiniportInitializeEx', driver, adapter, PASSIVE_LEVEL, () => {
    ctx = NdisAllocateMemoryWithTagPriority(adapter, 256, 0, NormalPoolPriority); // no tag
    rx = NdisAllocateMemoryWithTagPriority(adapter, 2048, TAG_RX, NormalPoolPriority);
    NdisAllocateMemoryWithTagPriority(adapter, 64, TAG_ADAPTER, NormalPoolPriority); // never freed
  });
  engine.invoke('DPC', driver, adapter, DISPATCH_LEVEL, () => {
    NdisFreeMemory(rx + 128, 0, 0); // interior address: nothing freed
    NdisFreeMemoryWithTagPriority(adapter, rx, TAG_ADAPTER); // wrong tag
  });
  engine.invoke('MiniportHaltEx', driver, adapter, PASSIVE_LEVEL, () => {
    NdisFreeMemory(ctx, 0, 2); // MemoryFlags must be 0
    readUInt32LE(ctx); // use after free
    NdisFreeMemory(rx, 0, 0); // double free
  });
  engine.lifecycleEdge('haltReturned', driver, adapter);
}

/** Runs both drivers and prints the findings; returns the number of findings of the broken one. */
export function runDemo(print: (line: string) => void = console.log): number {
  let total = 0;
  for (const [title, body] of [
    ['demo-correct (frees everything it allocates, exactly)', correctDriver],
    ['demo-broken (typical general-memory bugs)', brokenDriver],
  ] as const) {
    const engine = new Engine();
    activate(engine);
    body(engine);
    activate(null);
    print(`== ${title}`);
    print(formatFindings(engine.violations));
    const tags = [...engine.memory.byTag].map(
      ([tag, a]) =>
        `${String(describeTag(tag))}: ${a.allocations} allocations, high water ${a.highBytes} bytes, ${a.liveCount} live`,
    );
    print(`pool by tag: ${tags.join('; ')}`);
    print('');
    total = engine.violations.length;
  }
  return total;
}
