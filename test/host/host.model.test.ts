/**
 * Model-based test of the host against the adapter state machine (SPEC §2.5): random sequences of
 * host steps and random (documented) driver responses — pause SUCCESS/PENDING, restart
 * SUCCESS/PENDING/FAILURE/RESOURCES, pended operations completed later — run against a plain model.
 * The host must refuse exactly the steps the table forbids (calling nothing), reach the states the
 * model predicts, never end the run, and record no violation for a correct driver. With MiniportPause
 * also returning an undocumented FAILURE, the only findings are MiniportPause_Return.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdapterState } from '../../src/engine/objects.js';
import { HALT_ACTIONS, type HaltActionName, Host, type HostStep } from '../../src/host/index.js';
import { activate, NDIS_STATUS_FAILURE, NDIS_STATUS_SUCCESS } from '../../src/index.js';
import { kitDriver, type Response } from './driver-kit.js';

afterEach(() => {
  activate(null);
});

const NAMES = ['nic0', 'nic1'] as const;
type Name = (typeof NAMES)[number];
const REMOVING: ReadonlySet<HaltActionName> = new Set([
  'NdisHaltDeviceDisabled',
  'NdisHaltDeviceInstanceDeInitialized',
  'NdisHaltDeviceSurpriseRemoved',
  'NdisHaltDeviceFailed',
]);
const INITIALIZED: ReadonlySet<AdapterState> = new Set(['Paused', 'Restarting', 'Running', 'Pausing']);

interface ModelAdapter {
  state: AdapterState;
  removed: boolean;
  /** A pended operation: the state it completes to. */
  completesTo: AdapterState | null;
}

interface Model {
  loaded: boolean;
  down: boolean;
  readonly adapters: Map<Name, ModelAdapter>;
}

/** What the kit driver answers next (set by each command before it steps the host). */
interface Answers {
  pause: Response;
  restart: Response;
  restartCompletes: number;
}

interface Real {
  readonly host: Host;
  readonly answers: Answers;
}

function settle(a: ModelAdapter): void {
  if (a.completesTo !== null) {
    a.state = a.completesTo;
    a.completesTo = null;
  }
}

/** A step, how the model expects it to go (null: refused), and the model update. */
abstract class StepCommand implements fc.Command<Model, Real> {
  abstract readonly step: HostStep;
  /** Applies the step to the model; returns false if the host must refuse it. */
  abstract apply(m: Model): boolean;
  answers(_: Answers): void {}

  check(): boolean {
    return true;
  }

  run(m: Model, r: Real): void {
    this.answers(r.answers);
    const record = r.host.step(this.step);
    const legal = !m.down && this.apply(m);
    expect(record.outcome, `${this.toString()}: ${record.message}`).toBe(legal ? 'ok' : 'refused');
    if (!legal) expect(record.calls).toEqual([]);
    const result = r.host.result();
    expect(result.error).toBeNull();
    for (const name of NAMES) {
      const expected = m.adapters.get(name);
      const adapter = r.host.adapter(name);
      expect(adapter === undefined).toBe(expected === undefined);
      if (adapter === undefined || expected === undefined) continue;
      expect(adapter.live, `${name} removed`).toBe(!expected.removed);
      if (expected.completesTo !== null && adapter.state === expected.completesTo) settle(expected);
      expect(adapter.state, `${name} after ${this.toString()}`).toBe(expected.state);
    }
  }

  toString(): string {
    return JSON.stringify(this.step);
  }
}

class Load extends StepCommand {
  readonly step: HostStep = { step: 'load' };
  apply(m: Model): boolean {
    if (m.loaded) return false;
    m.loaded = true;
    return true;
  }
}

class AddDevice extends StepCommand {
  readonly step: HostStep;
  constructor(readonly name: Name) {
    super();
    this.step = { step: 'addDevice', name };
  }
  apply(m: Model): boolean {
    const existing = m.adapters.get(this.name);
    if (!m.loaded || (existing !== undefined && !existing.removed)) return false;
    m.adapters.set(this.name, { state: 'Halted', removed: false, completesTo: null });
    return true;
  }
}

/** A step on one adapter: the host waits for a pended operation of it before deciding. */
abstract class AdapterCommand extends StepCommand {
  constructor(readonly name: Name) {
    super();
  }
  apply(m: Model): boolean {
    const a = m.adapters.get(this.name);
    if (a === undefined || a.removed) return false;
    settle(a);
    return this.applyTo(a, m);
  }
  abstract applyTo(a: ModelAdapter, m: Model): boolean;
}

class Initialize extends AdapterCommand {
  readonly step: HostStep;
  constructor(
    name: Name,
    readonly fails: boolean,
  ) {
    super(name);
    this.step = fails
      ? { step: 'initialize', adapter: name, failAllocations: 'all' }
      : { step: 'initialize', adapter: name };
  }
  applyTo(a: ModelAdapter): boolean {
    if (a.state !== 'Halted') return false;
    a.state = this.fails ? 'Halted' : 'Paused';
    return true;
  }
}

class Restart extends AdapterCommand {
  readonly step: HostStep;
  constructor(
    name: Name,
    readonly response: Response,
    readonly completes: number,
    readonly wait: boolean,
  ) {
    super(name);
    this.step = { step: 'restart', adapter: name, wait };
  }
  override answers(answers: Answers): void {
    answers.restart = this.response;
    answers.restartCompletes = this.completes;
  }
  applyTo(a: ModelAdapter): boolean {
    if (a.state !== 'Paused') return false;
    const completed = this.completes === NDIS_STATUS_SUCCESS ? 'Running' : 'Paused';
    if (this.response === 'PENDING') {
      a.state = this.wait ? completed : 'Restarting';
      a.completesTo = this.wait ? null : completed;
    } else a.state = this.response === 'SUCCESS' ? 'Running' : 'Paused';
    return true;
  }
  override toString(): string {
    return `${super.toString()} answering ${this.response}${this.response === 'PENDING' ? ` then ${this.completes === 0 ? 'SUCCESS' : 'FAILURE'}` : ''}`;
  }
}

class Pause extends AdapterCommand {
  readonly step: HostStep;
  constructor(
    name: Name,
    readonly response: Response,
    readonly wait: boolean,
  ) {
    super(name);
    this.step = { step: 'pause', adapter: name, wait };
  }
  override answers(answers: Answers): void {
    answers.pause = this.response;
  }
  applyTo(a: ModelAdapter): boolean {
    if (a.state !== 'Running') return false;
    const pending = this.response === 'PENDING' && !this.wait;
    a.state = pending ? 'Pausing' : 'Paused';
    a.completesTo = pending ? 'Paused' : null;
    return true;
  }
  override toString(): string {
    return `${super.toString()} answering ${this.response}`;
  }
}

class Halt extends AdapterCommand {
  readonly step: HostStep;
  constructor(
    name: Name,
    readonly action: HaltActionName,
    readonly pauseResponse: Response,
  ) {
    super(name);
    this.step = { step: 'halt', adapter: name, action };
  }
  override answers(answers: Answers): void {
    answers.pause = this.pauseResponse;
  }
  applyTo(a: ModelAdapter): boolean {
    if (!INITIALIZED.has(a.state)) return false;
    a.state = 'Halted';
    a.removed = REMOVING.has(this.action);
    return true;
  }
}

class SurpriseRemove extends AdapterCommand {
  readonly step: HostStep;
  constructor(name: Name) {
    super(name);
    this.step = { step: 'surpriseRemove', adapter: name };
  }
  applyTo(a: ModelAdapter): boolean {
    a.state = 'Halted';
    a.removed = true;
    return true;
  }
}

class Shutdown extends StepCommand {
  readonly step: HostStep;
  constructor(readonly bugCheck: boolean) {
    super();
    this.step = { step: 'shutdown', action: bugCheck ? 'NdisShutdownBugCheck' : 'NdisShutdownPowerOff' };
  }
  apply(m: Model): boolean {
    for (const a of m.adapters.values()) {
      if (!a.removed && INITIALIZED.has(a.state)) {
        a.state = 'Shutdown';
        a.completesTo = null;
      }
    }
    m.down = true;
    return true;
  }
}

class Advance extends StepCommand {
  readonly step: HostStep;
  constructor(readonly ms: number) {
    super();
    this.step = { step: 'advance', ms };
  }
  apply(): boolean {
    return true;
  }
}

class Unload extends StepCommand {
  readonly step: HostStep = { step: 'unload' };
  apply(m: Model): boolean {
    if (!m.loaded) return false;
    for (const a of m.adapters.values()) {
      if (a.removed) continue;
      settle(a);
      a.state = 'Halted';
      a.removed = true;
    }
    m.loaded = false;
    return true;
  }
}

function commands(pauseAnswers: readonly Response[]) {
  const name = fc.constantFrom(...NAMES);
  const pause = fc.constantFrom(...pauseAnswers);
  const restart = fc.constantFrom<Response>('SUCCESS', 'PENDING', 'FAILURE', 'RESOURCES');
  return fc.commands(
    [
      fc.constant(new Load()),
      name.map((n) => new AddDevice(n)),
      fc.tuple(name, fc.boolean()).map(([n, fails]) => new Initialize(n, fails)),
      fc
        .tuple(name, restart, fc.constantFrom(NDIS_STATUS_SUCCESS, NDIS_STATUS_FAILURE), fc.boolean())
        .map(([n, r, c, w]) => new Restart(n, r, c, w)),
      fc.tuple(name, pause, fc.boolean()).map(([n, p, w]) => new Pause(n, p, w)),
      fc
        .tuple(name, fc.constantFrom(...(Object.keys(HALT_ACTIONS) as HaltActionName[])), pause)
        .map(([n, a, p]) => new Halt(n, a, p)),
      name.map((n) => new SurpriseRemove(n)),
      fc.boolean().map((b) => new Shutdown(b)),
      fc.integer({ min: 0, max: 5 }).map((ms) => new Advance(ms)),
      fc.constant(new Unload()),
    ],
    { maxCommands: 40 },
  );
}

function setup(): { model: Model; real: Real } {
  const answers: Answers = { pause: 'SUCCESS', restart: 'SUCCESS', restartCompletes: NDIS_STATUS_SUCCESS };
  const driver = kitDriver({
    pause: () => answers.pause,
    restart: () => answers.restart,
    restartCompletes: () => answers.restartCompletes,
  });
  return {
    model: { loaded: false, down: false, adapters: new Map() },
    real: { host: new Host(driver, { driverName: 'Kit' }), answers },
  };
}

describe('host against the adapter state machine model', () => {
  it('documented responses: legal steps reach the predicted states, illegal ones are refused, no finding', () => {
    fc.assert(
      fc.property(commands(['SUCCESS', 'PENDING']), (cmds) => {
        const s = setup();
        fc.modelRun(() => s, cmds);
        const result = s.real.host.run([]);
        expect(['completed']).toContain(result.outcome);
        expect(result.violations.map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('an undocumented pause status completes the pause and is only ever MiniportPause_Return', () => {
    fc.assert(
      fc.property(commands(['SUCCESS', 'PENDING', 'FAILURE']), (cmds) => {
        const s = setup();
        fc.modelRun(() => s, cmds);
        const rules = new Set(s.real.host.result().violations.map((v) => v.rule));
        rules.delete('MiniportPause_Return');
        expect([...rules]).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
