/**
 * The format's documentation and JSON Schema agree with the code: the shipped schema is the one
 * built from the DDI shapes, every example in docs/trace-format.md is valid and reads, the complete
 * example checks as documented, and the DDI and callback tables list every shape.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALLBACKS, DDIS, type Shape } from '../../src/trace/ddis.js';
import { TraceError } from '../../src/trace/events.js';
import { TraceReader } from '../../src/trace/reader.js';
import { checkTrace, REPLAY } from '../../src/trace/replay.js';
import { traceSchema } from '../../src/trace/schema.js';
import { validate } from './json-schema.js';

const SCHEMA_FILE = new URL('../../schema/trace-v1.schema.json', import.meta.url);
const DOC = readFileSync(new URL('../../docs/trace-format.md', import.meta.url), 'utf8');
const SCHEMA = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

/** The ```jsonl blocks of the document, as arrays of lines. */
const BLOCKS = [...DOC.matchAll(/```jsonl\n([\s\S]*?)```/g)].map((m) => m[1].trim().split('\n'));

/** The document's table rows with their cells trimmed (the formatter pads them). */
const ROWS = new Set(
  DOC.split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .join('|'),
    ),
);
const row = (cells: string[]) => ['', ...cells, ''].join('|');

const fields = (list: Shape['params']) =>
  list.map((f) => `\`${f.name}\`${f.optional ? '?' : ''}: ${f.type}`).join(', ') || '—';

describe('trace format v1: schema and documentation', () => {
  it('schema/trace-v1.schema.json is the schema built from the DDI shapes (UPDATE_SCHEMA=1 rewrites it)', () => {
    const built = traceSchema();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, `${JSON.stringify(built, null, 2)}\n`);
    expect(SCHEMA).toEqual(JSON.parse(JSON.stringify(built)));
    expect(SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('every example line of the document is valid against the schema and reads without error', () => {
    expect(BLOCKS.length).toBe(8);
    for (const block of BLOCKS) {
      const reader = new TraceReader('doc');
      if (!block[0].includes('"format"'))
        reader.parse('{"format":"ndis-sim-trace","version":1,"producer":"doc","pointerSize":8}', 0);
      block.forEach((line, i) => {
        expect(validate(SCHEMA, JSON.parse(line)), line).toEqual([]);
        const parsed = reader.parse(line, i + 1);
        expect(parsed instanceof TraceError ? parsed.message : 'ok', line).toBe('ok');
      });
    }
  });

  it('the complete example checks to the finding the document states', async () => {
    const example = BLOCKS.find((b) => b[0].includes('"hand-written"'));
    expect(example).toBeDefined();
    const r = await checkTrace([Buffer.from((example as string[]).join('\n'))]);
    expect(r.errors).toEqual([]);
    expect(r.violations).toHaveLength(1);
    const v = r.violations[0];
    expect(v.rule).toBe('Leak_PoolMemory');
    expect([v.driver, v.adapter]).toEqual(['e1000ns', 'Ethernet 2']);
    expect(v.message).toBe(
      "2048 bytes of pool memory with tag 'MIRX' (0x5852494d) at 0xffffc60a1b2c1000 are still allocated when MiniportHaltEx returned.",
    );
    expect(DOC).toContain(
      "`Leak_PoolMemory`, charged to driver `e1000ns`, adapter\n`Ethernet 2`: 2048 bytes of pool memory with tag `'MIRX' (0x5852494d)` at `0xffffc60a1b2c1000`",
    );
  });

  it('the DDI tables list every DDI with its args, result, status and whether it is replayed today', () => {
    for (const d of DDIS.values()) {
      const cells = [
        `\`${d.name}\``,
        d.section,
        fields(d.params),
        d.out.length ? fields(d.out) : '—',
        d.status ? 'yes' : '—',
        REPLAY[d.name] ? '**yes**' : 'not yet',
      ];
      expect(ROWS.has(row(cells)), row(cells)).toBe(true);
    }
    for (const name of Object.keys(REPLAY)) expect(DDIS.has(name), name).toBe(true);
  });

  it('the callback table lists every callback with a documented shape', () => {
    for (const c of CALLBACKS.values()) {
      const cells = [
        `\`${c.name}\``,
        c.section,
        fields(c.params),
        `${c.status ? 'yes' : '—'}${c.out.length ? `; ${fields(c.out)}` : ''}`,
      ];
      expect(ROWS.has(row(cells)), row(cells)).toBe(true);
    }
  });

  it('the schema rejects what the reader rejects', () => {
    const bad = [
      '{"kind":"call","ddi":"NdisFrobnicate","args":{}}',
      '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0x1","Length":0}}',
      '{"kind":"call","ddi":"NdisFreeMemory","args":{"VirtualAddress":"0xzz","Length":0,"MemoryFlags":0}}',
      '{"kind":"call","ddi":"NdisAllocateMemoryWithTagPriority","args":{"NdisHandle":"0x1","Length":1,"Tag":1,"Priority":0}}',
      '{"kind":"call","ddi":"NdisMFreePort","args":{"NdisMiniportHandle":"0x1","PortNumber":1}}',
      '{"kind":"enter","callback":"MiniportHaltEx"}',
      '{"kind":"enter","callback":"MiniportHaltEx","irql":0,"args":{"HaltAction":-1}}',
      '{"kind":"edge","edge":"haltReturned","driver":"0x1"}',
      '{"kind":"irql","irql":99}',
      '{"kind":"teleport"}',
      '{"format":"ndis-sim-trace","version":2,"producer":"p","pointerSize":8}',
    ];
    for (const line of bad) {
      expect(validate(SCHEMA, JSON.parse(line)).length, line).toBeGreaterThan(0);
      const reader = new TraceReader('t');
      reader.parse('{"format":"ndis-sim-trace","version":1,"producer":"p","pointerSize":8}', 1);
      expect(reader.parse(line, 2), line).toBeInstanceOf(TraceError);
    }
  });
});
