/** The line splitter: chunk boundaries, CRLF, empty lines, a last line without newline, UTF-8, gzip, stdin. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readLines, type TraceInput } from '../../src/trace/lines.js';

const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines `readLines` gives, with their numbers. */
async function lines(input: TraceInput, chunkSize?: number): Promise<[number, string][]> {
  const out: [number, string][] = [];
  await readLines(input, (text, line) => void out.push([line, text]), { chunkSize });
  return out;
}

/** `bytes` cut into chunks of `size` (an in-memory input that arrives piecewise). */
function chunked(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** What a correct splitter gives: split on \n, drop one \r before it, skip empty lines, count them all. */
function reference(text: string): [number, string][] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts
    .map((p, i) => [i + 1, p.endsWith('\r') ? p.slice(0, -1) : p] as [number, string])
    .filter(([, p]) => p !== '');
}

const SAMPLE = '{"a":1}\r\n\n{"b":"héllo — 日本語 🎉"}\n\r\n{"c":3}\n{"d":"last, no newline"}';

describe('readLines', () => {
  it('splits at every chunk size, from one byte up, with CRLF, empty lines and no final newline', async () => {
    const bytes = Buffer.from(SAMPLE);
    const expected = [
      [1, '{"a":1}'],
      [3, '{"b":"héllo — 日本語 🎉"}'],
      [5, '{"c":3}'],
      [6, '{"d":"last, no newline"}'],
    ];
    expect(reference(SAMPLE)).toEqual(expected);
    for (let size = 1; size <= bytes.length + 1; size++) {
      expect(await lines(chunked(bytes, size)), `chunks of ${size}`).toEqual(expected);
    }
    const path = join(dir, 'sample.jsonl');
    writeFileSync(path, bytes);
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 16])
      expect(await lines(path, size), `file, chunks of ${size}`).toEqual(expected);
  });

  it('joins a multi-byte UTF-8 character split across chunks', async () => {
    const text = '{"x":"🎉é日"}\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const input = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(await lines(input)).toEqual([[1, '{"x":"🎉é日"}']]);
    }
  });

  it('matches the reference splitter on any text cut into any chunks', async () => {
    const piece = fc.constantFrom('a', '{}', '\n', '\r\n', '\r', 'é', '🎉', ' ', '"');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        async (pieces, size) => {
          const text = pieces.join('');
          expect(await lines(chunked(Buffer.from(text), size))).toEqual(reference(text));
        },
      ),
    );
  });

  it('reads gzip input by its magic bytes, from a file and from chunks, and counts compressed bytes', async () => {
    const gz = gzipSync(Buffer.from(SAMPLE));
    const path = join(dir, 'sample.trace');
    writeFileSync(path, gz);
    const expected = reference(SAMPLE);
    expect(await lines(path)).toEqual(expected);
    expect(await lines(path, 3)).toEqual(expected);
    expect(await lines(chunked(gz, 1))).toEqual(expected);
    const read = await readLines(path, () => undefined);
    expect(read.bytes).toBe(gz.length);
    expect(read.lines).toBe(6);
  });

  it('reads concatenated gzip members as one stream', async () => {
    const gz = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"b":2}\n')]);
    expect(await lines([gz])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
    ]);
  });

  it('reads standard input for "-"', async () => {
    const spy = vi
      .spyOn(process, 'stdin', 'get')
      .mockReturnValue(Readable.from([Buffer.from('{"a":1}\n{"b":2}')]) as never);
    try {
      expect(await lines('-')).toEqual([
        [1, '{"a":1}'],
        [2, '{"b":2}'],
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('stops when the handler returns false, and reports progress by bytes', async () => {
    const seen: number[] = [];
    const progress: number[] = [];
    const read = await readLines(
      chunked(Buffer.from('{"a":1}\n{"b":2}\n{"c":3}\n'), 4),
      (_, line) => {
        seen.push(line);
        return line < 2;
      },
      { onProgress: (bytes) => progress.push(bytes) },
    );
    expect(seen).toEqual([1, 2]);
    expect(read.stopped).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((b, i) => i === 0 || b >= progress[i - 1])).toBe(true);
  });

  it('gives nothing for empty input', async () => {
    expect(await lines([])).toEqual([]);
    expect(await lines([Buffer.alloc(0)])).toEqual([]);
    expect(await lines([Buffer.from('\n\r\n\n')])).toEqual([]);
  });

  it('reads a line far longer than a chunk', async () => {
    const long = `{"x":"${'y'.repeat(100_000)}"}`;
    expect(await lines(chunked(Buffer.from(`${long}\n{}\n`), 1000))).toEqual([
      [1, long],
      [2, '{}'],
    ]);
  });
});
