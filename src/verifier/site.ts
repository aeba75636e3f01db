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
    frames.push(line.slice(3).replace('file://', ''));
  }
  return Object.freeze(frames);
}
