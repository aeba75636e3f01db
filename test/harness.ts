/** Shared test set-up: one engine, activated, with a driver and an adapter to charge resources to. */
import { afterEach } from 'vitest';
import { Engine, type EngineOptions } from '../src/engine/engine.js';
import type { MiniportAdapter, MiniportDriver } from '../src/engine/objects.js';
import { activate } from '../src/ndis/active.js';
import type { Violation } from '../src/verifier/violation.js';

export interface Sim {
  readonly engine: Engine;
  readonly driver: MiniportDriver;
  readonly adapter: MiniportAdapter;
  /** Findings of one rule. */
  findings(rule: string): readonly Violation[];
  /** Runs `fn` as driver callback `callback` at `irql`. */
  at<T>(irql: number, fn: () => T, callback?: string): T;
}

afterEach(() => {
  activate(null);
});

/** A fresh, active engine with one driver and one adapter. */
export function sim(options: EngineOptions = {}): Sim {
  const engine = new Engine(options);
  activate(engine);
  const driver = engine.createDriver('TestDriver');
  const adapter = engine.createAdapter(driver, 'TestAdapter');
  return {
    engine,
    driver,
    adapter,
    findings: (rule) => engine.violations.filter((v) => v.rule === rule),
    at: (irql, fn, callback = 'MiniportTest') => engine.context.run(callback, driver, adapter, irql, fn),
  };
}
