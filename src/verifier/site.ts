/**
 * Call sites: where a resource was allocated and where an offending call was made.
 *
 * Capture is V8's structured stack capture (Error.captureStackTrace) with formatting deferred until
 * a report needs it. It costs about 2 µs in Node 20 whatever the depth, which is why allocation-site
 * capture can be switched off (docs/decisions.md, "Allocation sites").
 */

/** A captured, not yet formatted, stack. */
export interface SiteCapture {
  stack?: string;
}

const CAPTURE_DEPTH = 24;
const OWN_DIR = ownDirectory();

function ownDirectory(): string {
  // src/verifier/site.ts (or dist/src/verifier/site.js) → the package's src directory.
  const url = new URL('..', import.meta.url);
  return decodeURIComponent(url.pathname);
}

/** Captures the current stack (unformatted). */
export function captureSite(): SiteCapture {
  const holder: SiteCapture = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURE_DEPTH;
  Error.captureStackTrace(holder, captureSite);
  Error.stackTraceLimit = limit;
  return holder;
}

/**
 * The frames of a capture that belong to the driver: ndis-sim's own frames, Node internals and
 * test-runner frames are trimmed. Each frame reads `function (file:line:column)`.
 */
export function siteFrames(capture: SiteCapture | null | undefined): readonly string[] {
  if (!capture?.stack) return [];
  const frames: string[] = [];
  for (const raw of capture.stack.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    if (
      line.includes(OWN_DIR) ||
      line.includes('node:') ||
      line.includes('/node_modules/') ||
      line.includes('<anonymous>')
    ) {
      continue;
    }
    frames.push(mapFrame(line.slice(3).replace('file://', '')));
  }
  return Object.freeze(frames);
}

/** Maps a (bundled file, line, column) to the driver's own source position, or null to keep it. */
export type FrameMapper = (file: string, line: number, column: number) => string | null;

const mappers: FrameMapper[] = [];

/** Registers a mapper (the driver loader maps bundle positions back to .ts lines). */
export function addFrameMapper(mapper: FrameMapper): () => void {
  mappers.push(mapper);
  return () => {
    const at = mappers.indexOf(mapper);
    if (at >= 0) mappers.splice(at, 1);
  };
}

const FRAME = /^(.*?)(?:\()?([^()\s]+):(\d+):(\d+)\)?$/;

function mapFrame(frame: string): string {
  if (mappers.length === 0) return frame;
  const m = FRAME.exec(frame);
  if (m === null) return frame;
  for (const mapper of mappers) {
    const mapped = mapper(m[2], Number(m[3]), Number(m[4]));
    if (mapped !== null) return m[1].trim() ? `${m[1].trim()} (${mapped})` : mapped;
  }
  return frame;
}
