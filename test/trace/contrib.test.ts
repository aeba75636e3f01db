/**
 * The C logging layer: contrib/build.sh compiles contrib/test-driver.c with gcc (-Wall -Wextra
 * -Werror -std=c11 -pedantic, also with the layer compiled out) and runs it; its trace must be
 * valid, accepted by the checker, and report exactly the planted double free. No gcc is a failure:
 * CI has gcc, and this is the layer's compile check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTrace } from '../../src/trace/replay.js';
import { validate } from './json-schema.js';

const BUILD = fileURLToPath(new URL('../../contrib/build.sh', import.meta.url));
const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schema/trace-v1.schema.json', import.meta.url), 'utf8'),
);
const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-contrib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds and runs the C test driver; returns the trace's lines. */
function build(name: string, ...args: string[]): string[] {
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) {
    throw new Error(
      'gcc is not installed: the C logging layer (contrib/ndis-sim-trace.h) cannot be compile-checked. Install gcc.',
    );
  }
  const out = join(dir, name);
  const run = spawnSync('sh', [BUILD, out, ...args], { encoding: 'utf8' });
  expect(run.stderr, 'gcc and the test driver print nothing').toBe('');
  expect(run.status, `contrib/build.sh failed:\n${run.stderr}`).toBe(0);
  return readFileSync(out, 'utf8').trimEnd().split('\n');
}

describe('contrib/ndis-sim-trace.h', () => {
  it('compiles cleanly, and the test driver writes a valid trace that checks to exactly its planted bug', async () => {
    const lines = build('test-driver.jsonl');
    for (const line of lines) expect(validate(SCHEMA, JSON.parse(line)), line).toEqual([]);
    const r = await checkTrace(join(dir, 'test-driver.jsonl'));
    expect(r.errors.map(String)).toEqual([]);
    expect(r.violations.map((v) => v.rule)).toEqual(['Pool_DoubleFree']);
    const v = r.violations[0];
    expect(v.ddi).toBe('NdisFreeMemoryWithTagPriority');
    expect(v.message).toContain('already freed');
    expect([v.driver, v.adapter, v.context.callback]).toEqual([
      'test-driver',
      '0xffffc60a20000000',
      'MiniportHaltEx',
    ]);
    expect(lines[r.violationLines[0] - 1]).toContain('"ddi":"NdisFreeMemoryWithTagPriority"');
    expect(r.events).toBe(lines.length - 1);
    // NDIS_SIM_TRACE_WRITE_ACCESS: the ring's initialization, within the block (no finding).
    expect(lines.filter((l) => JSON.parse(l).kind === 'access').map((l) => JSON.parse(l))).toEqual([
      { kind: 'access', op: 'MiniportInitializeEx', address: expect.any(String), size: 2048, write: true },
    ]);
  });

  it('logs SG DMA, shared memory and ports in the documented shapes (read and validated; replayed per family)', async () => {
    const lines = build('all-families.jsonl', '--all-families');
    for (const line of lines) expect(validate(SCHEMA, JSON.parse(line)), line).toEqual([]);
    const ddis = new Set(lines.map((l) => JSON.parse(l).ddi).filter(Boolean));
    for (const ddi of [
      'NdisMRegisterScatterGatherDma',
      'NdisMDeregisterScatterGatherDma',
      'NdisMAllocateSharedMemory',
      'NdisMFreeSharedMemory',
      'NdisMAllocatePort',
      'NdisMFreePort',
    ]) {
      expect(ddis.has(ddi), ddi).toBe(true);
    }
    const r = await checkTrace(join(dir, 'all-families.jsonl'));
    for (const e of r.errors) expect(e.message).toMatch(/is not replayed by this version/);
    expect(r.violations.map((v) => v.rule)).toContain('Pool_DoubleFree');
  });
});
