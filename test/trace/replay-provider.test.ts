/**
 * Replay of the provider family from traces: NdisSetOptionalHandlers registering a shared-memory
 * provider, NdisAllocateSharedMemory (provider and HAL memory) with the trace's status and handles,
 * NdisFreeSharedMemory. Hand-written traces: correct usage checks clean, planted bugs give the
 * rules' findings.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { type CheckResult, checkTrace, ReplayState } from '../../src/trace/replay.js';

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const BLOCK = '0xffffc60a60000000';
const SHARED = '0xffffc60a62000000';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8,"driver":{"name":"e1000ns"}}';

type Json = Record<string, unknown>;
const enter = (callback: string, extra: Json = {}) =>
  JSON.stringify({ kind: 'enter', callback, driver: D, adapter: A, irql: 0, ...extra });
const exit = (callback: string, extra: Json = {}) => JSON.stringify({ kind: 'exit', callback, ...extra });
const call = (ddi: string, args: Json, extra: Json = {}) =>
  JSON.stringify({ kind: 'call', ddi, irql: 0, args, ...extra });
const edge = () => JSON.stringify({ kind: 'edge', edge: 'haltReturned', driver: D, adapter: A });

const setOptionalHandlers = (status = '0x0') =>
  call(
    'NdisSetOptionalHandlers',
    {
      NdisHandle: D,
      OptionalHandlers: {
        Header: { Type: 176, Revision: 1, Size: 32 },
        Flags: 0,
        ProviderContext: '0x5000',
        AllocateSharedMemoryHandler: '0xfffff80112350000',
        FreeSharedMemoryHandler: '0xfffff80112351000',
      },
    },
    { status },
  );
const setOptions = [
  JSON.stringify({ kind: 'enter', callback: 'MiniportSetOptions', driver: D, irql: 0 }),
  setOptionalHandlers(),
  exit('MiniportSetOptions', { status: '0x0' }),
];
const registerSg = call(
  'NdisMRegisterScatterGatherDma',
  {
    MiniportAdapterHandle: A,
    DmaDescription: {
      Header: { Type: 131, Revision: 1, Size: 36 },
      Flags: 0,
      MaximumPhysicalMapping: 65536,
      ProcessSGListHandler: '0xfffff80112340000',
      SharedMemAllocateCompleteHandler: '0x0',
    },
  },
  { result: { NdisMiniportDmaHandle: '0xffffc60a30000000', ScatterGatherListSize: 424 }, status: '0x0' },
);
const deregisterSg = call('NdisMDeregisterScatterGatherDma', { NdisMiniportDmaHandle: '0xffffc60a30000000' });
const PARAMETERS = {
  Header: { Type: 128, Revision: 1, Size: 64 },
  Flags: 0,
  QueueId: 0,
  SharedMemoryHandle: '0x0',
  PreferredNode: '0x80000000',
  Usage: 1,
  Length: 8192,
  VirtualAddress: '0x0',
  SGListBufferLength: 64,
  SGListBuffer: '0xffffc60a50000000',
};
/** NetAllocateSharedMemory as the provider ran it, then the NdisAllocateSharedMemory it served. */
function allocate(
  block = BLOCK,
  shared = SHARED,
  providerStatus: string | null = '0x0',
  status = '0x0',
  handle = A,
): string[] {
  const provider =
    providerStatus === null
      ? []
      : [
          enter('NetAllocateSharedMemory', {
            args: { ProviderContext: '0x5000', SharedMemoryParameters: PARAMETERS },
          }),
          exit('NetAllocateSharedMemory', {
            status: providerStatus,
            result: { SharedMemoryProviderContext: '0x6000' },
          }),
        ];
  return [
    ...provider,
    call(
      'NdisAllocateSharedMemory',
      { NdisHandle: handle, SharedMemoryParameters: PARAMETERS },
      {
        status,
        result:
          status === '0x0'
            ? {
                AllocationHandle: block,
                VirtualAddress: '0xffffc60a61000000',
                SharedMemoryHandle: shared,
                SGListBuffer: { NumberOfElements: 1, Elements: [{ Address: '0x12a400000', Length: 8192 }] },
              }
            : {},
      },
    ),
  ];
}
const free = (block = BLOCK, handle = A) =>
  call('NdisFreeSharedMemory', { NdisHandle: handle, AllocationHandle: block });

/** SetOptions, then initialize with SG DMA and `inside`, then halt with `halt` and SG DMA deregistered. */
function life(inside: string[], halt: string[], options = setOptions): string[] {
  return [
    ...options,
    enter('MiniportInitializeEx'),
    registerSg,
    ...inside,
    exit('MiniportInitializeEx', { status: '0x0' }),
    enter('MiniportHaltEx'),
    ...halt,
    deregisterSg,
    exit('MiniportHaltEx'),
    edge(),
  ];
}

function check(lines: string[]): Promise<CheckResult> {
  return checkTrace([Buffer.from(`${[HEADER, ...lines].join('\n')}\n`)], { file: 'trace.jsonl' });
}
const rules = (r: CheckResult) => r.violations.map((v) => v.rule);
const errors = (r: CheckResult) => r.errors.map(String);

describe('replay of the provider family', () => {
  it('checks correct usage clean: a provider registered, its memory allocated and freed', async () => {
    const r = await check(
      life(allocate(), [
        free(),
        enter('NetFreeSharedMemory', {
          args: { ProviderContext: '0x5000', SharedMemoryProviderContext: '0x6000' },
        }),
        exit('NetFreeSharedMemory'),
      ]),
    );
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    const total = r.engine.provider.total;
    expect([total.allocations, total.frees, total.liveCount]).toEqual([1, 1, 0]);
  });

  it('keeps the block the trace describes: provider, its context, the VirtualAddress, Length and Usage', async () => {
    const r = await check([...setOptions, enter('MiniportInitializeEx'), registerSg, ...allocate()]);
    const [block] = [...r.engine.provider.live()];
    expect(block.provider?.providerContext).toBe(0x5000);
    expect([block.providerContext, block.length, block.usage, block.virtualAddress]).toEqual([
      0x6000, 8192, 1, -0x39f59f000000,
    ]);
    expect(block.owner.name).toBe(A);
  });

  it('checks clean without a provider (HAL memory, SharedMemoryHandle NULL)', async () => {
    const r = await check(life(allocate(BLOCK, '0x0', null), [free()], []));
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(r.engine.provider.total.allocations).toBe(1);
  });

  it('reports a double free (ProviderSharedMemory_DoubleFree); nothing is freed twice', async () => {
    const r = await check(life(allocate(), [free(), free()]));
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['ProviderSharedMemory_DoubleFree']);
    expect(r.violations[0].message).toContain('(8192 bytes) that was already freed');
    expect(r.engine.provider.total.frees).toBe(1);
  });

  it('reports a free with the SharedMemoryHandle, with a handle never returned, and with another NdisHandle', async () => {
    const r = await check(life(allocate(), [free(SHARED), free('0xffffc60a6000ff00'), free(BLOCK, D)]));
    expect(rules(r)).toEqual([
      'ProviderSharedMemory_FreeUnknownHandle',
      'ProviderSharedMemory_FreeUnknownHandle',
      'ProviderSharedMemory_FreeHandleMismatch',
    ]);
    expect(r.violations[0].message).toContain('with the SharedMemoryHandle of');
    expect(r.violations[1].message).toContain(
      '0xffffc60a6000ff00, which NdisAllocateSharedMemory never returned',
    );
    expect(r.engine.provider.total.liveCount).toBe(0);
  });

  it('reports memory still allocated when MiniportHaltEx returns (Leak_ProviderSharedMemory)', async () => {
    const r = await check(life(allocate(), []));
    // The block is also still there when the halt deregisters the SG DMA it was allocated through.
    expect(rules(r)).toEqual(['Dma_DeregisterWithSharedMemory', 'Leak_ProviderSharedMemory']);
  });

  it("checks the provider's NetAllocateSharedMemory return from its exit (NetAllocateSharedMemory_Return)", async () => {
    const r = await check(life(allocate(BLOCK, SHARED, '0x103', '0xc0000001'), []));
    expect(rules(r)).toEqual(['NetAllocateSharedMemory_Return']);
    expect(r.violations[0].message).toContain('NDIS_STATUS_PENDING, which its page does not list');
    expect(r.engine.provider.total.allocations).toBe(0);
  });

  it('reports NdisSetOptionalHandlers outside MiniportSetOptions; a failed registration leaves no provider', async () => {
    const r = await check(life(allocate(BLOCK, '0x0', null), [free()], [setOptionalHandlers('0xc0000001')]));
    expect(rules(r)).toEqual(['NdisSetOptionalHandlers_Context']);
    const [driver] = [...r.engine.provider.live()].map((b) => b.owner);
    expect(driver).toBeUndefined();
  });

  it('reports an allocation before DMA is registered; the trace says it failed, so nothing is allocated', async () => {
    const r = await check([
      ...setOptions,
      enter('MiniportInitializeEx'),
      ...allocate(BLOCK, SHARED, null, '0xc0000001'),
      exit('MiniportInitializeEx', { status: '0x0' }),
    ]);
    expect(rules(r)).toEqual(['NdisAllocateSharedMemory_DmaNotRegistered']);
    expect(r.engine.provider.total.allocations).toBe(0);
  });

  it('reports what contradicts the trace or cannot be replayed as errors', async () => {
    const r = await check([
      ...setOptions,
      enter('MiniportInitializeEx'),
      registerSg,
      ...allocate(),
      ...allocate(),
      call(
        'NdisAllocateSharedMemory',
        { NdisHandle: A, SharedMemoryParameters: '0xffffc60a70000000' },
        {
          status: '0xc0000001',
        },
      ),
    ]);
    expect(errors(r)).toEqual([
      'trace.jsonl:12: NdisAllocateSharedMemory returned AllocationHandle 0xffffc60a60000000, which still stands for a live object: the trace contradicts itself; the call is ignored',
      'trace.jsonl:13: NdisAllocateSharedMemory: "args.SharedMemoryParameters" is logged as the pointer 0xffffc60a70000000 only, and replaying it needs its fields; the call is ignored',
      'trace.jsonl:13: the trace ends inside MiniportInitializeEx (entered at line 5)',
    ]);
    expect(r.engine.provider.total.allocations).toBe(1);
  });

  it('keeps memory to what is outstanding: 10 000 allocations and frees', async () => {
    const engine = new Engine({ captureAllocationSites: false });
    const state = new ReplayState(engine, 'trace.jsonl');
    let line = 0;
    for (const text of [HEADER, ...setOptions, enter('MiniportInitializeEx'), registerSg])
      state.feed(text, ++line);
    for (let i = 0; i < 10_000; i++) {
      const block = `0x${(0x60000000 + i * 0x100).toString(16)}`;
      const shared = `0x${(0x70000000 + i * 0x100).toString(16)}`;
      for (const text of [...allocate(block, shared), free(block)]) state.feed(text, ++line);
    }
    state.flush();
    expect(state.errors.map(String)).toEqual([]);
    expect(engine.violations).toEqual([]);
    expect(state.objects.size).toBe(1); // the SG DMA handle
    expect(engine.provider.total.highCount).toBe(1);
  });
});
