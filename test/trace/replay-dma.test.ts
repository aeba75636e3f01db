/**
 * Replay of the DMA family from traces: SG DMA and DMA channel registrations, miniport shared
 * memory (synchronous, and asynchronous with its MiniportSharedMemoryAllocateComplete), the error
 * log. Hand-written traces: correct usage checks clean, planted bugs give the rules' findings.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { parseHex64 } from '../../src/trace/hex.js';
import { type CheckResult, checkTrace, ReplayState } from '../../src/trace/replay.js';

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const DMA = '0xffffc60a30000000';
const VA = '0xffffc60a40000000';
const PA = '0x12a400000';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8,"driver":{"name":"e1000ns"}}';

type Json = Record<string, unknown>;
const enter = (callback: string, irql = 0, extra: Json = {}) =>
  JSON.stringify({ kind: 'enter', callback, driver: D, adapter: A, irql, ...extra });
const exit = (callback: string, extra: Json = {}) => JSON.stringify({ kind: 'exit', callback, ...extra });
const call = (ddi: string, args: Json, extra: Json = {}) =>
  JSON.stringify({ kind: 'call', ddi, irql: 0, args, ...extra });
const edge = (name: string) => JSON.stringify({ kind: 'edge', edge: name, driver: D, adapter: A });

const DESCRIPTION = {
  Header: { Type: 131, Revision: 1, Size: 36 },
  Flags: '0x1',
  MaximumPhysicalMapping: 65536,
  ProcessSGListHandler: '0xfffff80112340000',
  SharedMemAllocateCompleteHandler: '0xfffff80112341000',
};
const registerSg = (handle = DMA, description: unknown = DESCRIPTION, status = '0x0') =>
  call(
    'NdisMRegisterScatterGatherDma',
    { MiniportAdapterHandle: A, DmaDescription: description },
    { result: { NdisMiniportDmaHandle: handle, ScatterGatherListSize: 424 }, status },
  );
const deregisterSg = (handle = DMA) =>
  call('NdisMDeregisterScatterGatherDma', { NdisMiniportDmaHandle: handle });
const allocate = (va = VA, pa = PA, length = 8192) =>
  call(
    'NdisMAllocateSharedMemory',
    { MiniportAdapterHandle: A, Length: length, Cached: 1 },
    { result: { VirtualAddress: va, PhysicalAddress: pa } },
  );
const free = (va = VA, pa = PA, length = 8192, irql = 0) =>
  call(
    'NdisMFreeSharedMemory',
    { MiniportAdapterHandle: A, Length: length, Cached: 1, VirtualAddress: va, PhysicalAddress: pa },
    { irql },
  );
const errorLog = () =>
  call('NdisWriteErrorLogEntry', { NdisAdapterHandle: A, ErrorCode: '0xc0001389', NumberOfErrorValues: 1 });

/** Initialize with SG DMA registered and `inside` (shared memory by default), then the halt with `halt`. */
function life(inside: string[], halt: string[]): string[] {
  return [
    enter('MiniportInitializeEx', 0, { adapterName: 'Ethernet 2' }),
    registerSg(),
    ...inside,
    exit('MiniportInitializeEx', { status: '0x0' }),
    enter('MiniportHaltEx', 0, { args: { HaltAction: 0 } }),
    ...halt,
    exit('MiniportHaltEx'),
    edge('haltReturned'),
  ];
}

function check(lines: string[]): Promise<CheckResult> {
  return checkTrace([Buffer.from(`${[HEADER, ...lines].join('\n')}\n`)], { file: 'trace.jsonl' });
}
const rules = (r: CheckResult) => r.violations.map((v) => v.rule);
const errors = (r: CheckResult) => r.errors.map(String);

describe('replay of the DMA family', () => {
  it('checks correct usage clean: SG DMA, shared memory, an asynchronous allocation, the error log', async () => {
    const r = await check([
      enter('MiniportInitializeEx', 0, { adapterName: 'Ethernet 2' }),
      registerSg(),
      allocate(),
      errorLog(),
      exit('MiniportInitializeEx', { status: '0x0' }),
      enter('MiniportInterruptDPC', 2),
      call(
        'NdisMAllocateSharedMemoryAsyncEx',
        { MiniportDmaHandle: DMA, Length: 4096, Cached: 0, Context: '0x77' },
        { irql: 2, status: '0x103' },
      ),
      exit('MiniportInterruptDPC'),
      enter('MiniportSharedMemoryAllocateComplete', 0, {
        args: {
          VirtualAddress: '0xffffc60a40010000',
          PhysicalAddress: '0x12a600000',
          Length: 4096,
          Context: '0x77',
        },
      }),
      exit('MiniportSharedMemoryAllocateComplete'),
      enter('MiniportHaltEx', 0, { args: { HaltAction: 0 } }),
      free(),
      call('NdisMFreeSharedMemory', {
        MiniportAdapterHandle: A,
        Length: 4096,
        Cached: 0,
        VirtualAddress: '0xffffc60a40010000',
        PhysicalAddress: '0x12a600000',
      }),
      deregisterSg(),
      exit('MiniportHaltEx'),
      edge('haltReturned'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    const shared = r.engine.dma.shared.total;
    expect([shared.allocations, shared.frees, shared.liveCount]).toEqual([2, 2, 0]);
    expect(r.engine.virtual.size).toBe(0);
  });

  it('takes the block at the trace addresses, charged to the adapter, with no bytes behind it', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      registerSg(),
      allocate(),
      exit('MiniportInitializeEx'),
    ]);
    const [memory] = [...r.engine.dma.shared.live()];
    expect(memory.base).toBe(parseHex64(VA));
    expect(memory.physical).toBe(0x12a400000);
    expect([memory.length, memory.cached, memory.foreign, memory.bytes]).toEqual([8192, true, true, null]);
    expect(memory.owner.name).toBe(A);
  });

  it('reports a free with the wrong Length (NdisMFreeSharedMemory_ParameterMismatch); the block is freed', async () => {
    const r = await check(life([allocate()], [free(VA, PA, 4096), deregisterSg()]));
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['NdisMFreeSharedMemory_ParameterMismatch']);
    expect(r.violations[0].message).toContain('Length 4096 (allocated 8192)');
    expect(r.violationLines).toEqual([7]);
  });

  it('reports a subrange free (nothing freed), then the leak of the block at halt', async () => {
    const r = await check(life([allocate()], [free('0xffffc60a40001000'), deregisterSg()]));
    expect(rules(r)).toEqual([
      'NdisMFreeSharedMemory_Subrange',
      'Dma_DeregisterWithSharedMemory',
      'Leak_SharedMemory',
    ]);
    expect(r.violations[0].message).toContain('4096 bytes inside the 8192-byte shared memory block');
  });

  it('reports a double free and a free of memory that was never shared memory', async () => {
    const r = await check(life([allocate()], [free(), free(), free('0xffffc60a50000000'), deregisterSg()]));
    expect(rules(r)).toEqual([
      'NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM',
      'NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM',
    ]);
    expect(r.violations[0].message).toContain('memory that was already freed');
    expect(r.violations[1].message).toContain('an address that is not NDIS shared memory');
  });

  it('reports a free from MiniportShutdownEx (NdisMFreeSharedMemory)', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      registerSg(),
      allocate(),
      exit('MiniportInitializeEx', { status: '0x0' }),
      enter('MiniportShutdownEx', 0, { args: { ShutdownAction: 1 } }),
      free(),
      exit('MiniportShutdownEx'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['NdisMFreeSharedMemory']);
  });

  it('reports SG DMA still registered when MiniportHaltEx returns (Init_RegisterSG)', async () => {
    const r = await check(life([allocate()], [free()]));
    expect(rules(r)).toEqual(['Init_RegisterSG']);
    expect(r.violations[0].message).toContain('Scatter-gather DMA registered in MiniportInitializeEx');
  });

  it('takes 0/0 as a failed allocation: WriteErrorLog unless NdisWriteErrorLogEntry follows', async () => {
    const failed = allocate('0x0', '0x0');
    const unlogged = await check(life([failed], [deregisterSg()]));
    expect(rules(unlogged)).toEqual(['WriteErrorLog']);
    expect(unlogged.engine.dma.shared.total.allocations).toBe(0);
    const logged = await check(life([failed, errorLog()], [deregisterSg()]));
    expect(errors(logged)).toEqual([]);
    expect(logged.violations).toEqual([]);
  });

  it('reports deregistering a handle the trace never returned, and deregistering twice', async () => {
    const r = await check(life([], [deregisterSg(), deregisterSg(), deregisterSg('0xffffc60a3000ff00')]));
    expect(rules(r)).toEqual(['Ndis_InvalidHandle', 'Ndis_InvalidHandle']);
    expect(r.violations[0].message).toContain('already deregistered');
    expect(r.violations[1].message).toContain('0xffffc60a3000ff00');
  });

  it('replays a DMA channel: clean when deregistered, Leak_DmaChannel when not', async () => {
    const channel = call(
      'NdisMRegisterDmaChannel',
      {
        MiniportAdapterHandle: A,
        DmaChannel: 3,
        Dma32BitAddresses: 1,
        DmaDescription: {
          DemandMode: 0,
          AutoInitialize: 0,
          DmaChannelSpecified: 1,
          DmaWidth: 1,
          DmaSpeed: 0,
          DmaPort: 0,
          DmaChannel: 3,
        },
        MaximumLength: '0xffffffff',
      },
      { result: { MiniportDmaHandle: '0xffffc60a31000000' }, status: '0x0' },
    );
    const deregister = call('NdisMDeregisterDmaChannel', { MiniportDmaHandle: '0xffffc60a31000000' });
    const lines = (halt: string[]) => [
      enter('MiniportInitializeEx'),
      channel,
      exit('MiniportInitializeEx', { status: '0x0' }),
      enter('MiniportHaltEx'),
      ...halt,
      exit('MiniportHaltEx'),
      edge('haltReturned'),
    ];
    const clean = await check(lines([deregister]));
    expect(errors(clean)).toEqual([]);
    expect(clean.violations).toEqual([]);
    expect(rules(await check(lines([])))).toEqual(['Leak_DmaChannel']);
  });

  it('takes the trace status of a registration: a failed one registers nothing', async () => {
    const r = await check(
      life([], [deregisterSg()]).map((l, i) => (i === 1 ? registerSg('0x0', DESCRIPTION, '0xc000009a') : l)),
    );
    expect(rules(r)).toEqual(['Ndis_InvalidHandle']);
    expect(r.violations[0].message).toContain(
      `NdisMDeregisterScatterGatherDma called with ${DMA}, which is not a handle from NdisMRegisterScatterGatherDma`,
    );
  });

  it('judges the description as logged: a malformed header is reported, the trace says the outcome', async () => {
    const bad = { ...DESCRIPTION, Header: { Type: 131, Revision: 1, Size: 8 } };
    const r = await check(
      life([], [deregisterSg()]).map((l, i) => (i === 1 ? registerSg(DMA, bad, '0xc0010004') : l)),
    );
    expect(rules(r)).toEqual(['NdisMRegisterScatterGatherDma_Header', 'Ndis_InvalidHandle']);
  });

  it('delivers asynchronous allocations by Context and Length; a completion with nothing pending is an error', async () => {
    const request = (length: number, context: string) =>
      call(
        'NdisMAllocateSharedMemoryAsyncEx',
        { MiniportDmaHandle: DMA, Length: length, Cached: 1, Context: context },
        { status: '0x103' },
      );
    const complete = (va: string, length: number, context: string) => [
      enter('MiniportSharedMemoryAllocateComplete', 0, {
        args: { VirtualAddress: va, PhysicalAddress: '0x1000', Length: length, Context: context },
      }),
      exit('MiniportSharedMemoryAllocateComplete'),
    ];
    const r = await check([
      enter('MiniportInitializeEx'),
      registerSg(),
      request(4096, '0x1'),
      request(8192, '0x2'),
      exit('MiniportInitializeEx', { status: '0x0' }),
      ...complete('0xffffc60a40020000', 8192, '0x2'),
      ...complete('0x0', 4096, '0x1'),
      ...complete('0xffffc60a40030000', 4096, '0x3'),
    ]);
    expect(errors(r)).toEqual([
      `trace.jsonl:11: MiniportSharedMemoryAllocateComplete of ${A} completes no pending NdisMAllocateSharedMemoryAsyncEx; the block is taken as delivered`,
    ]);
    const live = [...r.engine.dma.shared.live()].map((m) => [m.length, m.cached, m.async]);
    expect(live).toEqual([
      [8192, true, true],
      [4096, false, true],
    ]);
    expect(r.engine.dma.peek([...r.engine.dma.shared.live()][0].owner)?.pending.size).toBe(0);
  });

  it('reports what contradicts the trace or cannot be replayed as errors, and goes on', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      registerSg(DMA, '0xffffc60a77770000'),
      registerSg(),
      registerSg(),
      allocate(),
      allocate(),
      call(
        'NdisMAllocateSharedMemory',
        { MiniportAdapterHandle: '0xffffc60a99990000', Length: 64, Cached: 0 },
        { result: { VirtualAddress: '0xffffc60a41000000', PhysicalAddress: '0x2000' } },
      ),
      exit('MiniportInitializeEx', { status: '0x0' }),
    ]);
    expect(errors(r)).toEqual([
      'trace.jsonl:3: NdisMRegisterScatterGatherDma: "args.DmaDescription" is logged as the pointer 0xffffc60a77770000 only, and replaying it needs its fields; the call is ignored',
      'trace.jsonl:5: NdisMRegisterScatterGatherDma returned NdisMiniportDmaHandle 0xffffc60a30000000, which still stands for a live object: the trace contradicts itself; the call is ignored',
      'trace.jsonl:7: NdisMAllocateSharedMemory returned 0xffffc60a40000000, which is still allocated: the trace contradicts itself; the call is ignored',
      'trace.jsonl:8: NdisMAllocateSharedMemory returned 0xffffc60a41000000 for a MiniportAdapterHandle that is not an adapter the trace introduced; the block is not tracked',
    ]);
    expect(rules(r)).toEqual(['Ndis_InvalidHandle']);
    expect(r.engine.dma.shared.total.liveCount).toBe(1);
  });

  it('keeps memory to what is outstanding: 20 000 allocate/free and register/deregister cycles', async () => {
    const engine = new Engine({ captureAllocationSites: false });
    const state = new ReplayState(engine, 'trace.jsonl');
    let line = 0;
    const feed = (text: string) => state.feed(text, ++line);
    feed(HEADER);
    feed(enter('MiniportInitializeEx'));
    for (let i = 0; i < 5000; i++) {
      const handle = `0x${(0x30000000 + i * 0x100).toString(16)}`;
      feed(registerSg(handle));
      const va = `0xffffc60a4${(i % 16).toString(16)}000000`;
      feed(allocate(va, PA, 4096));
      feed(free(va, PA, 4096));
      feed(deregisterSg(handle));
    }
    feed(exit('MiniportInitializeEx', { status: '0x0' }));
    state.flush();
    expect(state.errors.map(String)).toEqual([]);
    expect(engine.violations).toEqual([]);
    expect(state.objects.size).toBe(0);
    expect(engine.virtual.size).toBe(0);
    expect(engine.dma.shared.total.highCount).toBe(1);
  });
});
