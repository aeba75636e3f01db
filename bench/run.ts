/** `npm run bench`: every benchmark, each printed beside the floor it is compared with. */
import { dmaBenchmarks } from './dma.bench.js';
import { poolBenchmarks } from './pool.bench.js';
import { portsBenchmarks } from './ports.bench.js';
import { providerBenchmarks } from './provider.bench.js';

console.log(`ndis-sim benchmarks (node ${process.version}; p50 of mitata samples)`);
await poolBenchmarks();
await dmaBenchmarks();
const { lifecycleBenchmarks } = await import('./lifecycle.bench.js');
await lifecycleBenchmarks();
await providerBenchmarks();
await portsBenchmarks();
const { exploreBenchmarks } = await import('./explore.bench.js');
await exploreBenchmarks();
const { traceBenchmarks } = await import('./trace.bench.js');
await traceBenchmarks();
