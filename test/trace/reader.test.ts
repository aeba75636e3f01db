/** The reader: typed, decoded events; each malformed line an error value naming the file and line. */
import { describe, expect, it } from 'vitest';
import { decodeValue, FAIL, failure } from '../../src/trace/decode.js';
import { type CallEvent, type EnterEvent, TraceError, type TraceHeader } from '../../src/trace/events.js';
import { TraceReader } from '../../src/trace/reader.js';

const HEADER = '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8}';
const ALLOC =
  '{"kind":"call","ddi":"NdisAllocateMemoryWithTagPriority","irql":2,"args":{"NdisHandle":"0xffffc60a20000000","Length":256,"Tag":"0x6d61444e","Priority":16},"result":{"VirtualAddress":"0xffffc60a1b2c3000"}}';

/** A reader that has read the header. */
function reader(header = HEADER): TraceReader {
  const r = new TraceReader('trace.jsonl');
  expect(r.parse(header, 1)).not.toBeInstanceOf(TraceError);
  return r;
}

/** The error a line gives (fails if it reads). */
function problem(line: string, r = reader()): string {
  const parsed = r.parse(line, 7);
  expect(parsed, line).toBeInstanceOf(TraceError);
  const error = parsed as TraceError;
  expect(error.file).toBe('trace.jsonl');
  expect(error.line).toBe(7);
  expect(String(error)).toBe(`trace.jsonl:7: ${error.message}`);
  return error.message;
}

describe('TraceReader', () => {
  it('reads the header', () => {
    const r = new TraceReader('trace.jsonl');
    const h = r.parse(
      '{"format":"ndis-sim-trace","version":1,"producer":"p","pointerSize":8,"driver":{"name":"e1000ns"}}',
      1,
    );
    expect((h as TraceHeader).driver?.name).toBe('e1000ns');
    expect(r.header).toBe(h);
  });

  it('decodes a call: hex to signed numbers, tags to numbers, the IRQL', () => {
    const e = reader().parse(ALLOC, 2) as CallEvent;
    expect(e.kind).toBe('call');
    expect(e.args).toEqual({ NdisHandle: -0x39f5e0000000, Length: 256, Tag: 0x6d61444e, Priority: 16 });
    expect(e.result).toEqual({ VirtualAddress: -0x39f5e4d3d000 });
    expect(e.irql).toBe(2);
  });

  it('decodes statuses unsigned (signed integers from C accepted), booleans, structures', () => {
    const r = reader();
    const a = r.parse(
      '{"kind":"call","ddi":"NdisMRegisterScatterGatherDma","args":{"MiniportAdapterHandle":"0x10","DmaDescription":{"Flags":1}},"status":-1073741670,"result":{"NdisMiniportDmaHandle":"0x0","ScatterGatherListSize":0}}',
      2,
    ) as CallEvent;
    expect(a.status).toBe(0xc000009a);
    expect(a.args.DmaDescription).toEqual({ Flags: 1 });
    const b = r.parse(
      '{"kind":"call","ddi":"NdisMAllocateSharedMemory","args":{"MiniportAdapterHandle":"0x10","Length":"0x2000","Cached":true},"result":{"VirtualAddress":"0x0","PhysicalAddress":"0x0"}}',
      3,
    ) as CallEvent;
    expect(b.args).toEqual({ MiniportAdapterHandle: 16, Length: 0x2000, Cached: 1 });
  });

  it('takes missing out values of a failed call as NULL/0, and requires them otherwise', () => {
    const r = reader();
    const failed = r.parse(
      '{"kind":"call","ddi":"NdisMAllocatePort","args":{"NdisMiniportHandle":"0x10","PortCharacteristics":"0x20"},"status":"0xc000009a"}',
      2,
    ) as CallEvent;
    expect(failed.result).toEqual({ PortNumber: 0 });
    expect(
      problem(
        '{"kind":"call","ddi":"NdisMAllocatePort","args":{"NdisMiniportHandle":"0x10","PortCharacteristics":"0x20"},"status":"0x0"}',
        r,
      ),
    ).toContain('"result" must be an object');
    expect(
      problem(
        '{"kind":"call","ddi":"NdisAllocateMemoryWithTagPriority","args":{"NdisHandle":"0x1","Length":1,"Tag":1,"Priority":0}}',
        r,
      ),
    ).toContain('"result" must be an object');
  });

  it('decodes enter, exit, irql, edge and fault events', () => {
    const r = reader();
    const enter = r.parse(
      '{"kind":"enter","callback":"MiniportHaltEx","driver":"0xffffc60a10000000","adapter":"0xffffc60a20000000","irql":0,"args":{"HaltAction":"0x3"},"thread":1,"seq":9,"time":12.5}',
      2,
    ) as EnterEvent;
    expect(enter).toMatchObject({
      driver: -0x39f5f0000000,
      adapter: -0x39f5e0000000,
      irql: 0,
      args: { HaltAction: 3 },
    });
    expect(r.parse('{"kind":"enter","callback":"MyDpc","irql":2}', 3)).toMatchObject({
      driver: 0,
      adapter: 0,
    });
    expect(r.parse('{"kind":"exit","callback":"MiniportPause","status":"0x103"}', 4)).toMatchObject({
      status: 0x103,
    });
    expect(r.parse('{"kind":"irql","irql":2}', 5)).toEqual({ kind: 'irql', irql: 2 });
    expect(r.parse('{"kind":"edge","edge":"driverUnload","driver":"0x10"}', 6)).toMatchObject({
      driver: 16,
      adapter: 0,
    });
    expect(
      r.parse('{"kind":"fault","ddi":"NdisAllocateMemoryWithTagPriority","ordinal":3}', 7),
    ).toMatchObject({ ordinal: 3 });
  });

  it('gives an error for each kind of malformed line', () => {
    const cases: [string, string][] = [
      ['{"kind":"call",', 'not JSON'],
      ['[1,2]', 'not a JSON object'],
      ['{"ddi":"NdisFreeMemory"}', 'no "kind"'],
      ['{"kind":"jump"}', 'unknown event kind "jump"'],
      ['{"kind":"call","ddi":"NdisFrobnicate","args":{}}', 'unknown DDI "NdisFrobnicate"'],
      [
        '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0x1","Length":0}}',
        '"args.MemoryFlags" is missing',
      ],
      [
        '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0xZZ","Length":0,"MemoryFlags":0}}',
        'not a 64-bit hex value',
      ],
      [
        '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0x0123456789abcdef","Length":0,"MemoryFlags":0}}',
        'not a canonical address',
      ],
      [
        '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0x1","Length":-1,"MemoryFlags":0}}',
        'must be a ULONG',
      ],
      [
        '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0x1","Length":"0x100000000","MemoryFlags":0}}',
        'must be a ULONG',
      ],
      [
        '{"kind":"call","ddi":"NdisMFreePort","args":{"NdisMiniportHandle":"0x1","PortNumber":1}}',
        '"status" is missing',
      ],
      [
        '{"kind":"call","ddi":"NdisMFreePort","args":{"NdisMiniportHandle":"0x1","PortNumber":1},"status":"oops"}',
        'NDIS_STATUS',
      ],
      ['{"kind":"call","ddi":"NdisFreeMemory","args":[1,2,3]}', '"args" must be an object'],
      ['{"kind":"enter","callback":"MiniportHaltEx"}', '"irql" must be an IRQL'],
      ['{"kind":"enter","callback":"MiniportHaltEx","irql":32}', '"irql" must be an IRQL'],
      ['{"kind":"enter","irql":0}', 'needs "callback"'],
      ['{"kind":"enter","callback":"X","irql":0,"driver":12.5}', '"driver" must be a hex string'],
      ['{"kind":"edge","edge":"haltReturned","driver":"0x1"}', 'needs "adapter"'],
      ['{"kind":"edge","edge":"reboot","driver":"0x1"}', '"edge" must be one of'],
      ['{"kind":"fault"}', 'needs "ddi"'],
      ['{"kind":"irql","irql":1,"seq":-1}', '"seq"'],
      ['{"kind":"irql","irql":1,"thread":[]}', '"thread"'],
    ];
    for (const [line, message] of cases) expect(problem(line), line).toContain(message);
  });

  it('checks pointers against a 4-byte pointer size', () => {
    const r = reader('{"format":"ndis-sim-trace","version":1,"producer":"x86","pointerSize":4}');
    expect(problem(ALLOC, r)).toContain("does not fit the header's 4-byte pointers");
  });

  it('reports a missing header once and still reads the event', () => {
    const r = new TraceReader('trace.jsonl');
    const e = r.parse(ALLOC, 1);
    expect((e as CallEvent).ddi).toBe('NdisAllocateMemoryWithTagPriority');
    expect(r.notice?.message).toContain('does not start with a header');
    expect(r.header?.version).toBe(1);
  });

  it('refuses another format or version, and a second header', () => {
    const other = new TraceReader('trace.jsonl');
    expect(
      problem('{"format":"ndis-sim-trace","version":2,"producer":"p","pointerSize":8}', other),
    ).toContain('version 2');
    expect(other.fatal).toBe(true);
    const foreign = new TraceReader('trace.jsonl');
    expect(problem('{"format":"pcap","version":1,"producer":"p","pointerSize":8}', foreign)).toContain(
      'not a trace',
    );
    expect(problem(HEADER)).toContain('not the first line');
    expect(
      problem('{"format":"ndis-sim-trace","version":1,"pointerSize":8}', new TraceReader('trace.jsonl')),
    ).toContain('"producer"');
    expect(
      problem(
        '{"format":"ndis-sim-trace","version":1,"producer":"p","pointerSize":2}',
        new TraceReader('trace.jsonl'),
      ),
    ).toContain('pointerSize');
  });
});

describe('decodeValue', () => {
  it('decodes structure fields by type, FAIL with a reason otherwise', () => {
    expect(decodeValue('0xffffc60a1b2c3000', 'pointer')).toBe(-0x39f5e4d3d000);
    expect(decodeValue('0x10', 'ulong')).toBe(16);
    expect(decodeValue(true, 'boolean')).toBe(1);
    expect(decodeValue(-1, 'status')).toBe(0xffffffff);
    expect(decodeValue('0xffffffffffffffff', 'int64')).toBe(-1);
    expect(decodeValue(null, 'struct')).toBe(0);
    expect(decodeValue(-5, 'long')).toBe(-5);
    expect(decodeValue('nope', 'handle')).toBe(FAIL);
    expect(failure()).toContain('not a 64-bit hex value');
    expect(decodeValue(2 ** 32, 'ulong')).toBe(FAIL);
    expect(failure()).toContain('must be a ULONG');
  });
});
