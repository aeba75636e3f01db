/**
 * Replay of `access` events: where the driver read or wrote memory, judged against what the trace
 * allocated and freed — the Memory_* rules of a live run, and shared memory's guard bytes — with no
 * bytes behind the addresses. Hand-written traces.
 */
import { describe, expect, it } from 'vitest';
import { type CheckResult, checkTrace } from '../../src/trace/replay.js';

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const POOL = '0xffffc60a40000000';
const VA = '0xffffc60a41000000';
const HAL = '0xffffc60a42000000';
const HEADER = '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8}';

type Json = Record<string, unknown>;
const line = (v: Json) => JSON.stringify(v);
const call = (ddi: string, args: Json, extra: Json = {}) =>
  line({ kind: 'call', ddi, irql: 0, args, ...extra });
const access = (address: string, size: number, write: boolean, op?: string) =>
  line({ kind: 'access', address, size, write, ...(op === undefined ? {} : { op }) });
const allocatePool = (length: number) =>
  call(
    'NdisAllocateMemoryWithTagPriority',
    { NdisHandle: A, Length: length, Tag: 0x5852494d, Priority: 32 },
    { result: { VirtualAddress: POOL } },
  );
const freePool = (length: number) =>
  call('NdisFreeMemory', { VirtualAddress: POOL, Length: length, MemoryFlags: 0 });
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
const sharedArgs = { MiniportAdapterHandle: A, Length: 100, Cached: 1 };
const allocateShared = call('NdisMAllocateSharedMemory', sharedArgs, {
  result: { VirtualAddress: VA, PhysicalAddress: '0x12a400000' },
});
const freeShared = call('NdisMFreeSharedMemory', {
  ...sharedArgs,
  VirtualAddress: VA,
  PhysicalAddress: '0x12a400000',
});

/** `inside` runs in MiniportInitializeEx of a successful initialize, then a clean halt. */
function check(inside: string[], halt: string[] = []): Promise<CheckResult> {
  const lines = [
    HEADER,
    line({ kind: 'enter', callback: 'MiniportInitializeEx', driver: D, adapter: A, irql: 0 }),
    ...inside,
    line({ kind: 'exit', callback: 'MiniportInitializeEx', status: '0x0' }),
    line({ kind: 'enter', callback: 'MiniportHaltEx', driver: D, adapter: A, irql: 0 }),
    ...halt,
    line({ kind: 'exit', callback: 'MiniportHaltEx' }),
  ];
  return checkTrace([Buffer.from(`${lines.join('\n')}\n`)], { file: 'trace.jsonl' });
}
const rules = (r: CheckResult) => r.violations.map((v) => v.rule);

describe('replay of access events', () => {
  it('keeps accesses within live memory clean', async () => {
    const r = await check(
      [allocatePool(64), access(POOL, 64, true), access('0xffffc60a4000003c', 4, false), freePool(64)],
      [],
    );
    expect(r.errors.map(String)).toEqual([]);
    expect(rules(r)).toEqual([]);
  });

  it('finds a read after the free (Memory_UseAfterFree), named by its op', async () => {
    const r = await check([allocatePool(64), freePool(64), access(POOL, 4, false, 'readUInt32LE')]);
    expect(rules(r)).toEqual(['Memory_UseAfterFree']);
    expect(r.violations[0].ddi).toBe('readUInt32LE');
    expect(r.violations[0].args).toEqual({ Address: POOL, Length: 4, Access: 'read' });
  });

  it('finds an access running past the end of a pool block (Memory_Overrun)', async () => {
    const r = await check([allocatePool(64), access('0xffffc60a4000003c', 8, true), freePool(64)]);
    expect(rules(r)).toEqual(['Memory_Overrun']);
    expect(r.violations[0].message).toContain('64-byte allocation');
  });

  it("finds an access starting right at the end of a block at a C driver's address (the off by one) as Memory_Overrun", async () => {
    const at = '0xffffc60a40000a30';
    const r = await check([
      call(
        'NdisAllocateMemoryWithTagPriority',
        { NdisHandle: A, Length: 64, Tag: 0x5852494d, Priority: 32 },
        { result: { VirtualAddress: at } },
      ),
      access('0xffffc60a40000a6c', 4, true),
      access('0xffffc60a40000a70', 1, true),
      call('NdisFreeMemory', { VirtualAddress: at, Length: 64, MemoryFlags: 0 }),
    ]);
    expect(rules(r)).toEqual(['Memory_Overrun']);
    expect(r.violations[0].args).toEqual({ Address: '0xffffc60a40000a70', Length: 1, Access: 'write' });
  });

  it('finds a NULL dereference (Memory_InvalidAccess) with its page-fault bug check; the op defaults to access', async () => {
    const r = await check([access('0x0', 4, true)]);
    expect(rules(r)).toEqual(['Memory_InvalidAccess']);
    expect(r.violations[0].ddi).toBe('access');
    expect(r.violations[0].bugCheck?.code).toBe(0x50);
    expect(r.errors.map(String)).toEqual([]);
  });

  it("takes a write into shared memory's guard bytes as corruption, found at the free (0x7C/0x02)", async () => {
    const r = await check(
      [registerSg, allocateShared, access(VA, 100, true), access('0xffffc60a41000064', 4, true)],
      [freeShared, deregisterSg],
    );
    expect(rules(r)).toEqual(['NDIS_BUGCHECK_SHARED_MEM_CORRUPTION']);
  });

  it('keeps a read of the guard bytes, and writes within Length, clean', async () => {
    const r = await check(
      [registerSg, allocateShared, access(VA, 100, true), access('0xffffc60a41000064', 4, false)],
      [freeShared, deregisterSg],
    );
    expect(rules(r)).toEqual([]);
  });

  it('finds an access past the page-rounded end of shared memory (Memory_Overrun)', async () => {
    const r = await check(
      [registerSg, allocateShared, access('0xffffc60a41000ffc', 8, false)],
      [freeShared, deregisterSg],
    );
    expect(rules(r)).toEqual(['Memory_Overrun']);
  });

  it('maps HAL memory from NdisAllocateSharedMemory at its VirtualAddress: use after its free is found', async () => {
    const parameters = {
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
    const r = await check([
      registerSg,
      call(
        'NdisAllocateSharedMemory',
        { NdisHandle: A, SharedMemoryParameters: parameters },
        {
          status: '0x0',
          result: {
            AllocationHandle: '0xffffc60a60000000',
            VirtualAddress: HAL,
            SharedMemoryHandle: '0x0',
            SGListBuffer: { NumberOfElements: 1, Elements: [{ Address: '0x12a400000', Length: 8192 }] },
          },
        },
      ),
      access('0xffffc60a42001ff0', 16, true),
      call('NdisFreeSharedMemory', { NdisHandle: A, AllocationHandle: '0xffffc60a60000000' }),
      access('0xffffc60a42001ff0', 16, false),
      deregisterSg,
    ]);
    expect(r.errors.map(String)).toEqual([]);
    expect(rules(r)).toEqual(['Memory_UseAfterFree']);
  });

  it('reports a malformed access line with its file and line, and checks the rest', async () => {
    const r = await check([
      line({ kind: 'access', address: POOL, write: true }),
      line({ kind: 'access', address: POOL, size: 4, write: 1 }),
      line({ kind: 'access', address: 'zz', size: 4, write: false }),
      line({ kind: 'access', address: POOL, size: 4, write: false, op: 7 }),
      access('0x0', 1, false),
    ]);
    expect(r.errors.map(String)).toEqual([
      'trace.jsonl:3: an access needs "size" (a non-negative integer)',
      'trace.jsonl:4: an access needs "write" (true or false)',
      'trace.jsonl:5: "address" is not a 64-bit hex value: "zz"',
      'trace.jsonl:6: "op" must be a string',
    ]);
    expect(rules(r)).toEqual(['Memory_InvalidAccess']);
  });
});
