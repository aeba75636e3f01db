/**
 * Execution-context objects a driver owns: spin locks, NDIS I/O work items and NDIS timer objects
 * (SPEC §2.6, §2.10, §8; D39). Each kind lives in its own module; this class holds them and the
 * shared report of a bad handle or argument.
 */
import type { SyncMisuseEvent } from '../verifier/events/sync.js';
import type { SiteCapture } from '../verifier/site.js';
import type { Engine } from './engine.js';
import type { NdisObject } from './objects.js';
import { SpinLocks } from './sync-spinlock.js';
import { Timers } from './sync-timer.js';
import { IoWorkItems } from './sync-workitem.js';

/** A bad handle or argument of one call (see SyncMisuseEvent). */
export interface Misuse {
  readonly ddi: string;
  readonly kind: SyncMisuseEvent['kind'];
  /** The DDI's parameter names, the raw arguments, and which one is wrong. */
  readonly params: readonly string[];
  readonly args: readonly unknown[];
  readonly index: number;
  readonly expected: string;
  readonly outcome: string;
  readonly owner: NdisObject | null;
  /** The freed object a stale handle names. */
  readonly stale?: { readonly site: SiteCapture | null } | null;
}

/** The sync family of one engine. */
export class Sync {
  readonly locks: SpinLocks;
  readonly workItems: IoWorkItems;
  readonly timers: Timers;
  private readonly misuseEvent: SyncMisuseEvent = {
    ddi: '',
    irql: 0,
    kind: 'handle',
    parameter: '',
    value: undefined,
    expected: '',
    stale: false,
    site: null,
    outcome: '',
    owner: null,
    params: [],
    a0: undefined,
    a1: undefined,
    a2: undefined,
    a3: undefined,
  };

  constructor(readonly engine: Engine) {
    this.locks = new SpinLocks(engine, this);
    this.workItems = new IoWorkItems(engine, this);
    this.timers = new Timers(engine, this);
  }

  /**
   * What NDIS leaves of an owner once its leaks are reported: its timers are cancelled, its queued
   * work items dequeued and the work items and timers charged to it forgotten, so a halted adapter's
   * callbacks never run and each leak is reported once. Spin locks are forgotten with their driver
   * (they are due only at unload). For the host, after it announces a lifecycle edge.
   */
  reclaim(owner: NdisObject): void {
    this.timers.reclaim(owner);
    this.workItems.reclaim(owner);
    this.locks.reclaim(owner);
  }

  /** Cold path: reports a bad handle or argument through Ndis_InvalidHandle / Ddi_InvalidArgument. */
  misuse(m: Misuse): void {
    const engine = this.engine;
    const e = this.misuseEvent;
    e.ddi = m.ddi;
    e.irql = engine.context.irql;
    e.kind = m.kind;
    e.parameter = m.params[m.index];
    e.value = m.args[m.index];
    e.expected = m.expected;
    e.stale = m.stale != null;
    e.site = m.stale?.site ?? null;
    e.outcome = m.outcome;
    e.owner = m.owner;
    e.params = m.params;
    e.a0 = m.args[0];
    e.a1 = m.args[1];
    e.a2 = m.args[2];
    e.a3 = m.args[3];
    engine.verifier.on.syncMisuse(engine.verifier, e);
  }
}
