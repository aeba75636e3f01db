/**
 * Recording a live host run as `ndis-sim run --record` does (src/host/plan-run.ts), for drivers that
 * import the DDIs from src/index.js (the kit driver and the test drivers): a test file mocks that
 * module with `recordedIndex`, whose DDIs write to the run being recorded.
 *
 *   vi.mock('../../src/index.js', async (original) => (await import('./recorded-host.js')).recordedIndex(original));
 */
import { Engine } from '../../src/engine/engine.js';
import { Host, type HostDriver } from '../../src/host/host.js';
import type { Scenario } from '../../src/host/scenario.js';
import { recordDdis, recordFaults, TraceWriter } from '../../src/trace/writer.js';
import type { Violation } from '../../src/verifier/violation.js';

const recording = { writer: null as TraceWriter | null, context: { irql: 0 } as { readonly irql: number } };

/** src/index.js with every DDI of the trace format recording into the current run. */
export async function recordedIndex(importOriginal: () => Promise<unknown>): Promise<unknown> {
  const actual = (await importOriginal()) as Record<string, unknown>;
  const writer = {
    call: (ddi: string, args: ArrayLike<unknown>, returned: unknown, irql: number) =>
      recording.writer?.call(ddi, args, returned, irql),
  };
  const context = {
    get irql() {
      return recording.context.irql;
    },
  };
  return recordDdis(actual, writer as unknown as TraceWriter, context);
}

/**
 * Runs `scenario` of `module` on a host whose engine records every DDI call, callback (enter and
 * exit), lifecycle edge and fault. Returns the live result and the trace's lines.
 */
export function recordRun(module: HostDriver, scenario: Scenario) {
  const lines: string[] = [];
  const writer = new TraceWriter((l) => lines.push(l), { producer: 'test', driver: { name: 'Driver' } });
  const engine = new Engine({ faults: recordFaults(writer, () => false), captureAllocationSites: false });
  recording.writer = writer;
  recording.context = engine.context;
  const invoke = engine.invoke.bind(engine);
  engine.invoke = (name, driver, adapter, irql, fn) =>
    invoke(name, driver, adapter, irql, () => {
      writer.enter(name, driver, adapter, irql);
      let returned: unknown;
      try {
        returned = fn();
        return returned as ReturnType<typeof fn>;
      } finally {
        writer.exit(name, driver, adapter, engine.context.irql, returned);
      }
    });
  const edge = engine.lifecycleEdge.bind(engine);
  engine.lifecycleEdge = (name, driver, adapter) => {
    writer.edge(name, driver, adapter);
    edge(name, driver, adapter);
  };
  try {
    return { result: new Host(module, { engine }).run(scenario), lines };
  } finally {
    recording.writer = null;
  }
}

/** What must be equal between a live finding and its replay (allocation sites aside). */
export function essence(v: Violation) {
  return {
    rule: v.rule,
    message: v.message,
    ddi: v.ddi,
    args: v.args,
    driver: v.driver,
    adapter: v.adapter,
    irql: v.irql,
    callback: v.context.callback,
    bugCheck: v.bugCheck,
  };
}

/** The trace without its `edge` lines: the edges are then left to the callbacks' returns. */
export function withoutEdges(lines: readonly string[]): string[] {
  return lines.filter((l) => !l.startsWith('{"kind":"edge"'));
}
