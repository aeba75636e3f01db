/** checkTrace: the trace front door, findings through the normal rules, errors for what cannot be replayed. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckOptions, type CheckResult, checkTrace } from '../../src/trace/replay.js';
import { CATALOGUE } from '../../src/verifier/catalogue.js';
import { rule } from '../../src/verifier/rule.js';
import { BugCheck } from '../../src/verifier/violation.js';

const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8,"driver":{"name":"e1000ns"}}';
const enter = (callback: string, irql = 0, extra = '') =>
  `{"kind":"enter","callback":"${callback}","driver":"${D}","adapter":"${A}","irql":${irql}${extra}}`;
const exit = (callback: string, extra = '') => `{"kind":"exit","callback":"${callback}"${extra}}`;
const alloc = (va: string, length = 64, handle = A, irql = 0) =>
  `{"kind":"call","ddi":"NdisAllocateMemoryWithTagPriority","irql":${irql},"args":{"NdisHandle":"${handle}","Length":${length},"Tag":"0x74736554","Priority":16},"result":{"VirtualAddress":"${va}"}}`;
const free = (va: string) =>
  `{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"${va}","Length":0,"MemoryFlags":0}}`;
const edge = (name: string) =>
  `{"kind":"edge","edge":"${name}","driver":"${D}"${name === 'driverUnload' ? '' : `,"adapter":"${A}"`}}`;

/** Checks a trace given as lines (a header is added unless the first line is one). */
function check(lines: string[], options: CheckOptions = {}): Promise<CheckResult> {
  const all = lines[0]?.includes('"format"') ? lines : [HEADER, ...lines];
  return checkTrace([Buffer.from(`${all.join('\n')}\n`)], { file: 'trace.jsonl', ...options });
}

const rules = (r: CheckResult) => r.violations.map((v) => v.rule);
const errors = (r: CheckResult) => r.errors.map(String);

describe('checkTrace', () => {
  it('replays allocations and frees charged to the handles the trace introduced', async () => {
    const r = await check([
      enter('MiniportInitializeEx', 0, ',"adapterName":"Ethernet 2"'),
      alloc('0xffffc60a1b2c1000', 2048),
      alloc('0xffffc60a1b2c2000', 4096, D),
      exit('MiniportInitializeEx', ',"status":"0x0"'),
      enter('MiniportHaltEx'),
      free('0xffffc60a1b2c1000'),
      free('0xffffc60a1b2c2000'),
      exit('MiniportHaltEx'),
      edge('haltReturned'),
      edge('driverUnload'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(r.events).toBe(10);
    expect(r.lines).toBe(11);
    const adapter = [...r.engine.memory.byTag.values()][0];
    expect(adapter.allocations).toBe(2);
    expect(adapter.liveCount).toBe(0);
    expect(r.header?.driver?.name).toBe('e1000ns');
  });

  it('reports a leak at haltReturned with the names the trace gave, at the line of the edge', async () => {
    const r = await check([
      enter('MiniportInitializeEx', 0, ',"adapterName":"Ethernet 2"'),
      alloc('0xffffc60a1b2c1000', 2048),
      exit('MiniportInitializeEx', ',"status":"0x0"'),
      edge('haltReturned'),
    ]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
    const v = r.violations[0];
    expect(v.driver).toBe('e1000ns');
    expect(v.adapter).toBe('Ethernet 2');
    expect(v.message).toBe(
      "2048 bytes of pool memory with tag 'Test' (0x74736554) at 0xffffc60a1b2c1000 are still allocated when MiniportHaltEx returned.",
    );
    expect(r.violationLines).toEqual([5]);
  });

  it('names handles by their hex value when the trace gives no names', async () => {
    const r = await check([
      '{"format":"ndis-sim-trace","version":1,"producer":"t","pointerSize":8}',
      enter('X'),
      alloc('0x1000'),
      exit('X'),
      edge('haltReturned'),
    ]);
    expect(r.violations[0].driver).toBe(D);
    expect(r.violations[0].adapter).toBe(A);
  });

  it('turns what contradicts the engine into findings: double free, unknown address, interior address', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      alloc('0xffffc60a1b2c1000', 256),
      free('0xffffc60a1b2c1000'),
      free('0xffffc60a1b2c1000'),
      free('0xffffc60a00000000'),
      alloc('0xffffc60a1b2c3000', 256),
      free('0xffffc60a1b2c3010'),
      free('0xffffc60a1b2c3000'),
      exit('MiniportInitializeEx'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['Pool_DoubleFree', 'Pool_FreeUnknownAddress', 'Pool_FreeInteriorAddress']);
    expect(r.violationLines).toEqual([5, 6, 8]);
    expect(r.violations[2].message).toContain('16 bytes inside the 256-byte block at 0xffffc60a1b2c3000');
  });

  it('passes a handle the trace never introduced as what it is: Ndis_InvalidHandle, nothing allocated', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      alloc('0xffffc60a1b2c1000', 64, '0xffffc60a99990000'),
      exit('MiniportInitializeEx'),
    ]);
    expect(rules(r)).toEqual(['Ndis_InvalidHandle']);
    expect(r.violations[0].message).toContain('NdisHandle 0xffffc60a99990000');
    expect(r.engine.memory.total.allocations).toBe(0);
  });

  it('takes the IRQL from calls, enters, exits and irql events', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      alloc('0xffffc60a1b2c1000', 64, A, 3),
      '{"kind":"irql","irql":2}',
      '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0xffffc60a1b2c1000","Length":0,"MemoryFlags":1}}',
      exit('MiniportInitializeEx'),
    ]);
    expect(rules(r)).toEqual([
      'Irql_Miscellaneous_Function',
      'Irql_Miscellaneous_Function',
      'NdisFreeMemory_MemoryFlags',
    ]);
    expect(r.violations.map((v) => v.irql)).toEqual([3, 2, 2]);
    expect(r.violations[0].context.callback).toBe('MiniportInitializeEx');
    expect(r.engine.context.irql).toBe(0);
    expect(r.engine.context.depth).toBe(0);
  });

  it('tells the rules each callback return, with its entry and exit IRQL; exits match enters per thread', async () => {
    const seen: string[] = [];
    const probe = rule({
      id: 'Probe',
      title: 'probe',
      link: 'https://learn.microsoft.com/',
      severity: 'note',
      observe: {
        callbackReturn(_, e) {
          seen.push(`${e.callback} ${e.adapter?.name} ${e.entryIrql}->${e.exitIrql}`);
        },
      },
    });
    const r = await check(
      [
        `{"kind":"enter","callback":"MiniportSendNetBufferLists","adapter":"${A}","irql":0,"thread":0}`,
        `{"kind":"enter","callback":"MiniportInterruptDPC","adapter":"${A}","irql":2,"thread":1}`,
        '{"kind":"exit","callback":"MiniportSendNetBufferLists","thread":0,"irql":1}',
        '{"kind":"exit","callback":"MiniportInterruptDPC","thread":1}',
      ],
      { rules: [...CATALOGUE, probe] },
    );
    expect(errors(r)).toEqual([]);
    expect(seen).toEqual([`MiniportSendNetBufferLists ${A} 0->1`, `MiniportInterruptDPC ${A} 2->2`]);
  });

  it('reports what it cannot replay or read, naming the line, and goes on', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      `{"kind":"call","ddi":"NdisMAllocatePort","args":{"NdisMiniportHandle":"${A}","PortCharacteristics":"0xffffc60a70000000"},"status":"0xc000009a"}`,
      'not json',
      '{"kind":"call","ddi":"NdisFrobnicate","args":{}}',
      alloc('0xffffc60a1b2c1000'),
      alloc('0xffffc60a1b2c1000'),
      exit('MiniportHaltEx'),
      exit('MiniportInitializeEx', `,"adapter":"${D}"`),
      '{"kind":"edge","edge":"driverUnload","driver":"0x1234"}',
      enter('MiniportHaltEx'),
      free('0xffffc60a1b2c1000'),
    ]);
    expect(errors(r)).toEqual([
      'trace.jsonl:3: NdisMAllocatePort: "args.PortCharacteristics" is logged as the pointer 0xffffc60a70000000 only, and replaying it needs its fields; the call is ignored',
      expect.stringMatching(/^trace\.jsonl:4: not JSON/),
      'trace.jsonl:5: unknown DDI "NdisFrobnicate"',
      'trace.jsonl:7: NdisAllocateMemoryWithTagPriority returned 0xffffc60a1b2c1000, which is still allocated: the trace contradicts itself; the call is ignored',
      'trace.jsonl:8: exit of MiniportHaltEx without a matching enter; ignored',
      'trace.jsonl:9: exit of MiniportInitializeEx names another driver or adapter than its enter (line 2)',
      'trace.jsonl:10: the driverUnload edge names driver handle 0x1234, which the trace never introduced; ignored',
      'trace.jsonl:12: the trace ends inside MiniportHaltEx (entered at line 11)',
    ]);
    expect(r.errorCount).toBe(8);
    expect(r.violations).toEqual([]);
    expect(r.engine.memory.total.liveCount).toBe(0);
  });

  it('reports a handle used as another kind than it was introduced as', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      `{"kind":"enter","callback":"X","driver":"${A}","irql":0}`,
    ]);
    expect(errors(r)[0]).toBe(
      `trace.jsonl:3: driver handle ${A} was introduced as the handle of adapter ${A}`,
    );
  });

  it('reports exits that leave callbacks of the same thread running', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      enter('MiniportOidRequest'),
      exit('MiniportInitializeEx'),
    ]);
    expect(errors(r)).toEqual([
      'trace.jsonl:4: exit of MiniportInitializeEx while MiniportOidRequest (entered at line 3) has not exited',
    ]);
    expect(r.engine.context.depth).toBe(0);
  });

  it('stops at the first error when strict, and keeps at most maxErrors', async () => {
    const bad = ['x', 'y', 'z', enter('MiniportInitializeEx'), exit('MiniportInitializeEx')];
    const strict = await check(bad, { strict: true });
    expect(strict.errorCount).toBe(1);
    expect(strict.events).toBe(0);
    const capped = await check(bad, { maxErrors: 2 });
    expect(capped.errorCount).toBe(3);
    expect(capped.errors).toHaveLength(2);
    expect(capped.events).toBe(2);
  });

  it('stops at the finding under the bug-check policy', async () => {
    const r = await check(
      [
        enter('MiniportInitializeEx'),
        alloc('0xffffc60a1b2c1000'),
        free('0xffffc60a1b2c1000'),
        free('0xffffc60a1b2c1000'),
        free('0x1'),
      ],
      {
        policy: 'bugcheck',
      },
    );
    expect(r.bugCheck).toBeInstanceOf(BugCheck);
    expect(r.bugCheck?.info?.parameters[0]).toBe(0x13);
    expect(rules(r)).toEqual(['Pool_DoubleFree']);
    expect(r.events).toBe(4);
  });

  it('reads a trace without a header as version 1, with one error', async () => {
    const r = await checkTrace([
      Buffer.from(`${enter('X')}\n${alloc('0x1000')}\n${exit('X')}\n${edge('haltReturned')}\n`),
    ]);
    expect(errors(r)).toEqual(['<input>:1: the trace does not start with a header line; version 1 assumed']);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
  });

  it('stops at a header of another version', async () => {
    const r = await check([
      '{"format":"ndis-sim-trace","version":2,"producer":"p","pointerSize":8}',
      enter('X'),
      alloc('0x1000'),
    ]);
    expect(r.errorCount).toBe(1);
    expect(r.events).toBe(0);
  });

  it('reads files, gzip files, and reports an unreadable input as an error', async () => {
    const text = [HEADER, enter('X'), alloc('0x1000'), exit('X'), edge('haltReturned')].join('\n');
    const plain = join(dir, 'trace.jsonl');
    const gz = join(dir, 'trace.jsonl.gz');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(text));
    for (const path of [plain, gz]) {
      const r = await checkTrace(path);
      expect(rules(r)).toEqual(['Leak_PoolMemory']);
      expect(r.errors).toEqual([]);
    }
    expect((await checkTrace(gz)).bytes).toBe(gzipSync(text).length);
    const missing = await checkTrace(join(dir, 'missing.jsonl'));
    expect(missing.errors[0].message).toMatch(/^cannot read the trace: .*ENOENT/);
    const corrupt = join(dir, 'corrupt.gz');
    writeFileSync(corrupt, Buffer.concat([gzipSync(text).subarray(0, 20), Buffer.from('garbage')]));
    expect((await checkTrace(corrupt)).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^cannot read the trace/),
    ]);
  });

  it('keeps memory to what is outstanding: 200 000 events with at most 8 blocks live', async () => {
    async function* trace() {
      yield Buffer.from(`${HEADER}\n${enter('MiniportInitializeEx')}\n`);
      for (let i = 0; i < 100_000; i += 8) {
        let chunk = '';
        for (let j = 0; j < 8; j++) chunk += `${alloc(`0x${(0x100000 + (i + j) * 0x100).toString(16)}`)}\n`;
        for (let j = 0; j < 8; j++) chunk += `${free(`0x${(0x100000 + (i + j) * 0x100).toString(16)}`)}\n`;
        yield Buffer.from(chunk);
      }
      yield Buffer.from(`${exit('MiniportInitializeEx')}\n${edge('haltReturned')}\n`);
    }
    const r = await checkTrace(trace());
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(r.events).toBe(200_003);
    expect(r.engine.memory.total.highCount).toBe(8);
    expect(r.engine.virtual.size).toBe(0);
  });
});
