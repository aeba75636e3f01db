/**
 * The IRQL and the execution context: which callback of which driver and adapter is running.
 * DDIs read it to check their documented IRQL; rules read it to know, e.g., that a call comes from
 * MiniportShutdownEx. During trace replay the frames say what the trace says was running.
 */

/** IRQL values the machine knows by name (x64 numbering). */
export const PASSIVE = 0;
export const APC = 1;
export const DISPATCH = 2;
export const HIGH = 15;

/** One running callback: its documented name, the driver and adapter it runs for, and its IRQL. */
export interface Frame {
  readonly callback: string;
  readonly driver: object | null;
  readonly adapter: object | null;
  /** The IRQL the callback was entered at (restored when it returns). */
  readonly entryIrql: number;
}

/** A frozen copy of the context, as a violation records it. */
export interface ContextSnapshot {
  readonly irql: number;
  readonly callback: string | null;
  readonly callbacks: readonly string[];
}

const TOP: Frame = Object.freeze({ callback: 'System', driver: null, adapter: null, entryIrql: PASSIVE });

/** The processor's current IRQL and the stack of callbacks that are running. */
export class ExecutionContext {
  irql = PASSIVE;
  private readonly frames: Frame[] = [TOP];

  /** The innermost running callback. */
  get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** Name of the innermost running callback ('System' when NDIS itself is running). */
  get callback(): string {
    return this.frames[this.frames.length - 1].callback;
  }

  /** True if a callback named `name` is anywhere on the stack (e.g. inside MiniportShutdownEx). */
  within(name: string): boolean {
    for (let i = this.frames.length - 1; i > 0; i--) if (this.frames[i].callback === name) return true;
    return false;
  }

  /** Depth of the callback stack (0 when nothing runs). */
  get depth(): number {
    return this.frames.length - 1;
  }

  /** Enters a callback at `irql`; returns the frame to pass to `leave`. */
  enter(callback: string, driver: object | null, adapter: object | null, irql: number): Frame {
    const frame: Frame = { callback, driver, adapter, entryIrql: this.irql };
    this.frames.push(frame);
    this.irql = irql;
    return frame;
  }

  /** Leaves `frame` (and anything a throwing callback left above it), restoring the entry IRQL. */
  leave(frame: Frame): void {
    const frames = this.frames;
    // The common case is leaving the innermost frame: pop() avoids a slow length store.
    if (frames[frames.length - 1] === frame && frames.length > 1) {
      frames.pop();
    } else {
      const at = frames.lastIndexOf(frame);
      if (at <= 0) return;
      frames.length = at;
    }
    this.irql = frame.entryIrql;
  }

  /** Runs `fn` as callback `name` at `irql`, always restoring the context. */
  run<T>(callback: string, driver: object | null, adapter: object | null, irql: number, fn: () => T): T {
    const frame = this.enter(callback, driver, adapter, irql);
    try {
      return fn();
    } finally {
      this.leave(frame);
    }
  }

  /** Frozen copy for a violation report (cold path). */
  snapshot(): ContextSnapshot {
    const callbacks = this.frames.slice(1).map((f) => f.callback);
    return Object.freeze({
      irql: this.irql,
      callback: callbacks.length > 0 ? callbacks[callbacks.length - 1] : null,
      callbacks: Object.freeze(callbacks),
    });
  }

  /** Drops every frame and returns to PASSIVE (a new run, or recovery after a bug check). */
  reset(): void {
    this.frames.length = 1;
    this.irql = PASSIVE;
  }
}
