/**
 * Model-based test of the port lifecycle (fast-check commands): allocate, activate and deactivate
 * lists of one to three ports (known, unknown, beyond 0xFFFFFF, the default port, repeats, now and
 * then a looping list), free (valid and invalid numbers) in any order, then the halt. After every
 * command the status, the port numbers and the findings equal those of a plain model of SPEC §7
 * and D11–D14: lowest free number, all-or-nothing events, the default-port rules, the leak rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NDIS_MAXIMUM_PORTS,
  NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT,
  NDIS_STATUS_INVALID_DATA,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_INVALID_PORT,
  NDIS_STATUS_INVALID_PORT_STATE,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort, NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import type { NDIS_PORT } from '../../src/ndis/types.js';
import { type Sim, sim } from '../harness.js';
import { activation, characteristics, deactivation, ruleIds } from './ports-helpers.js';

/** Numbers 1..LIMIT-1 exist, so exhaustion comes up. */
const LIMIT = 6;

interface Model {
  /** Driver-allocated ports: number → active. */
  readonly ports: Map<number, boolean>;
  defaultActive: boolean;
  /** The default port is active because the driver activated it. */
  defaultByDriver: boolean;
  /** Rule ids expected so far, in order. */
  readonly findings: string[];
}

interface Real {
  readonly s: Sim;
}

/** How a command names a port: an allocated one, a free number, one beyond the range, the default port. */
type Pick = { kind: 'known' | 'free' | 'huge' | 'default'; i: number };

const pick: fc.Arbitrary<Pick> = fc.record({
  kind: fc.constantFrom<Pick['kind']>('known', 'known', 'known', 'free', 'huge', 'default'),
  i: fc.nat(20),
});

function resolve(m: Model, p: Pick): number {
  const known = [...m.ports.keys()].sort((a, b) => a - b);
  switch (p.kind) {
    case 'known':
      return known.length === 0 ? 1 + (p.i % (LIMIT + 2)) : known[p.i % known.length];
    case 'free': {
      const free: number[] = [];
      for (let n = 1; n < LIMIT + 3; n++) if (!m.ports.has(n)) free.push(n);
      return free[p.i % free.length];
    }
    case 'huge':
      return NDIS_MAXIMUM_PORTS + p.i;
    case 'default':
      return 0;
  }
}

function stateOf(m: Model, n: number): boolean | undefined {
  if (n === 0) return m.defaultActive;
  return n < NDIS_MAXIMUM_PORTS ? m.ports.get(n) : undefined;
}

/** The model's status for a port event over `numbers` (activate: true) — D13, D14, duplicates. */
function eventStatus(m: Model, numbers: readonly number[], activate: boolean): number {
  if (numbers.some((n) => stateOf(m, n) === undefined)) return NDIS_STATUS_INVALID_PORT;
  if (numbers.includes(0) && numbers.length > 1) return NDIS_STATUS_INVALID_PORT;
  if (new Set(numbers).size !== numbers.length) return NDIS_STATUS_INVALID_PORT_STATE;
  if (numbers.some((n) => stateOf(m, n) === activate)) return NDIS_STATUS_INVALID_PORT_STATE;
  return NDIS_STATUS_SUCCESS;
}

function setState(m: Model, numbers: readonly number[], active: boolean): void {
  for (const n of numbers) {
    if (n === 0) {
      m.defaultActive = active;
      m.defaultByDriver = active;
    } else {
      m.ports.set(n, active);
    }
  }
}

function expectSame(m: Model, r: Real): void {
  expect(ruleIds(r.s)).toEqual(m.findings);
  const actual = [...r.s.engine.ports.allocated(r.s.adapter)].map(
    (p) => [p.PortNumber, p.state === 1] as const,
  );
  expect(actual).toEqual([...m.ports].sort((a, b) => a[0] - b[0]));
  expect(r.s.engine.ports.port(r.s.adapter, 0)?.state === 1).toBe(m.defaultActive);
}

class Allocate implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const c = characteristics();
    const status = r.s.at(2, () => NdisMAllocatePort(r.s.adapter, c));
    let n = 1;
    while (m.ports.has(n)) n++;
    if (n < LIMIT) {
      expect(status).toBe(NDIS_STATUS_SUCCESS);
      expect(c.PortNumber).toBe(n);
      m.ports.set(n, false);
    } else {
      expect(status).toBe(NDIS_STATUS_RESOURCES);
    }
    expectSame(m, r);
  }
  toString = () => 'allocate';
}

class Activate implements fc.Command<Model, Real> {
  constructor(
    readonly picks: readonly Pick[],
    readonly loop: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const numbers = this.picks.map((p) => resolve(m, p));
    const n = activation(numbers);
    if (this.loop) {
      let last = n.NetPnPEvent.Buffer as NDIS_PORT;
      while (last.Next !== null) last = last.Next;
      last.Next = n.NetPnPEvent.Buffer as NDIS_PORT;
    }
    const status = r.s.at(0, () => NdisMNetPnPEvent(r.s.adapter, n));
    if (this.loop) {
      expect(status).toBe(NDIS_STATUS_INVALID_PARAMETER);
      m.findings.push('NdisMNetPnPEvent_InvalidNotification');
    } else {
      const expected = eventStatus(m, numbers, true);
      expect(status).toBe(expected);
      if (expected === NDIS_STATUS_SUCCESS) setState(m, numbers, true);
    }
    expectSame(m, r);
  }
  toString = () =>
    `activate(${this.picks.map((p) => `${p.kind}:${p.i}`).join(', ')}${this.loop ? ', looping' : ''})`;
}

class Deactivate implements fc.Command<Model, Real> {
  constructor(readonly picks: readonly Pick[]) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const numbers = this.picks.map((p) => resolve(m, p));
    const status = r.s.at(0, () => NdisMNetPnPEvent(r.s.adapter, deactivation(numbers)));
    const expected = eventStatus(m, numbers, false);
    expect(status).toBe(expected);
    if (expected === NDIS_STATUS_SUCCESS) setState(m, numbers, false);
    expectSame(m, r);
  }
  toString = () => `deactivate(${this.picks.map((p) => `${p.kind}:${p.i}`).join(', ')})`;
}

class Free implements fc.Command<Model, Real> {
  constructor(readonly pick: Pick) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const n = resolve(m, this.pick);
    const status = r.s.at(1, () => NdisMFreePort(r.s.adapter, n));
    if (n >= NDIS_MAXIMUM_PORTS) {
      expect(status).toBe(NDIS_STATUS_INVALID_DATA);
    } else if (n === 0) {
      expect(status).toBe(NDIS_STATUS_INVALID_PORT);
      m.findings.push('NdisMFreePort_DefaultPort');
    } else if (!m.ports.has(n)) {
      expect(status).toBe(NDIS_STATUS_INVALID_PORT);
    } else if (m.ports.get(n)) {
      expect(status).toBe(NDIS_STATUS_INVALID_PORT_STATE);
      m.findings.push('NdisMFreePort_ActivePort');
    } else {
      expect(status).toBe(NDIS_STATUS_SUCCESS);
      m.ports.delete(n);
    }
    expectSame(m, r);
  }
  toString = () => `free(${this.pick.kind}:${this.pick.i})`;
}

const list = fc.array(pick, { minLength: 1, maxLength: 3 });
const commands = [
  fc.constant(new Allocate()),
  fc.constant(new Allocate()),
  fc
    .tuple(
      list,
      fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    )
    .map(([picks, loop]) => new Activate(picks, loop)),
  list.map((picks) => new Deactivate(picks)),
  pick.map((p) => new Free(p)),
];

describe('port lifecycle (model-based)', () => {
  it('statuses, port numbers and findings equal the model over random command sequences, then at the halt', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.commands(commands, { maxCommands: 60 }), (controls, cmds) => {
        const s = sim();
        s.engine.ports.limit = LIMIT;
        s.adapter.attributeFlags = controls ? NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT : 0;
        s.adapter.registrationAttributesSet = true;
        s.engine.ports.registrationAttributesSet(s.adapter);
        const model: Model = {
          ports: new Map(),
          defaultActive: !controls,
          defaultByDriver: false,
          findings: [],
        };
        const real: Real = { s };
        fc.modelRun(() => ({ model, real }), cmds);

        s.engine.ports.haltStarting(s.adapter);
        s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
        for (let i = 0; i < model.ports.size; i++) model.findings.push('Leak_Port');
        if (controls && model.defaultActive && model.defaultByDriver)
          model.findings.push('DefaultPort_ActiveAtHalt');
        expect(ruleIds(s)).toEqual(model.findings);
        s.engine.ports.adapterHalted(s.adapter);
        expect([...s.engine.ports.allocated(s.adapter)]).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
