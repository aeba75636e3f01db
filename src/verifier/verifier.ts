/**
 * The verifier: builds the per-event observer lists from the catalogue (minus rules switched off),
 * turns reports into immutable Violations, and applies the policy (record, or stop like a bug check).
 */
import type { NdisObject } from '../engine/objects.js';
import type { ExecutionContext } from '../machine/context.js';
import { EVENT_NAMES, type Events } from './events.js';
import type { BugCheckMapping, RuleDef } from './rule.js';
import { captureSite, type SiteCapture, siteFrames } from './site.js';
import { BugCheck, type BugCheckInfo, type Violation } from './violation.js';

/** Record-and-continue, or stop at the first violation like a bug check. */
export type Policy = 'record' | 'bugcheck';

export interface VerifierOptions {
  readonly policy?: Policy;
  /** Rule ids to switch off. */
  readonly rulesOff?: Iterable<string>;
  /** Capture where each offending call was made (cold path only). Default true. */
  readonly captureSites?: boolean;
}

/** What a rule tells the verifier about one finding. */
export interface ReportDetails {
  readonly ddi: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** The NDIS object the finding is charged to (default: the running callback's adapter or driver). */
  readonly owner?: NdisObject | null;
  readonly allocationSite?: SiteCapture | null;
  /** Bug-check parameters 2..4 (parameter 1 comes from the rule's mapping). */
  readonly parameters?: readonly [number, number, number];
  /** A mapping for this finding in place of the rule's own (one rule, several documented codes). */
  readonly bugCheck?: BugCheckMapping;
}

/** One dispatch function per check point, calling every active observer of it. */
type Dispatch = { readonly [K in keyof Events]: (v: Verifier, e: Events[K]) => void };

type Handler = (v: Verifier, e: never) => void;

/**
 * Builds a dispatcher with one direct call per observer. A loop over an array of observers would be
 * one megamorphic call site; unrolled, each site sees one function and V8 can inline it.
 */
function unroll(handlers: readonly Handler[]): Handler {
  const names = handlers.map((_, i) => `h${i}`);
  const body = names.map((n) => `${n}(v, e);`).join('\n');
  return new Function(...names, `return function dispatch(v, e) {\n${body}\n};`)(...handlers) as Handler;
}

/** Listener told of each violation as it is recorded (reports, traces). */
export type ViolationListener = (violation: Violation) => void;

export class Verifier {
  readonly policy: Policy;
  readonly captureSites: boolean;
  readonly rules: ReadonlyMap<string, RuleDef>;
  readonly violations: Violation[] = [];
  /** Per-event dispatchers; the engine calls them at its check points. */
  readonly on: Dispatch;
  private readonly listeners: ViolationListener[] = [];

  constructor(
    catalogue: readonly RuleDef[],
    private readonly context: ExecutionContext,
    private readonly clock: () => number,
    options: VerifierOptions = {},
  ) {
    this.policy = options.policy ?? 'record';
    this.captureSites = options.captureSites ?? true;
    const off = new Set(options.rulesOff ?? []);
    const rules = new Map<string, RuleDef>();
    const lists: Record<string, Handler[]> = {};
    for (const r of catalogue) {
      if (off.has(r.id)) continue;
      rules.set(r.id, r);
      for (const [event, handler] of Object.entries(r.observe)) {
        if (!handler) continue;
        lists[event] ??= [];
        // A shared observer (one function for a family of rules) is called once per event.
        if (!lists[event].includes(handler as Handler)) lists[event].push(handler as Handler);
      }
    }
    this.rules = rules;
    // Every event gets a dispatcher, even with no observer, so the hot path never tests for one.
    const on: Record<string, Handler> = {};
    for (const event of EVENT_NAMES) on[event] = unroll(lists[event] ?? []);
    this.on = on as unknown as Dispatch;
  }

  private readonly reported = new WeakSet<object>();

  /**
   * True the first time a resource is reported as leaked: a block leaked by MiniportHaltEx is
   * reported at that edge, not again when the driver unloads.
   */
  firstReport(resource: object): boolean {
    if (this.reported.has(resource)) return false;
    this.reported.add(resource);
    return true;
  }

  /** True if rule `id` is active in this run. */
  active(id: string): boolean {
    return this.rules.has(id);
  }

  /** Subscribes to violations as they are recorded. */
  listen(listener: ViolationListener): void {
    this.listeners.push(listener);
  }

  /** Records a finding of `rule`; under the bug-check policy, throws a BugCheck. */
  report(rule: RuleDef, message: string, details: ReportDetails): Violation {
    const ctx = this.context;
    const frame = ctx.frame as { driver: { name?: string } | null; adapter: { name?: string } | null };
    const owner = details.owner ?? null;
    const mapping = details.bugCheck ?? rule.bugCheck;
    const [p2, p3, p4] = details.parameters ?? [0, 0, 0];
    const bugCheck: BugCheckInfo | null = mapping
      ? Object.freeze({
          code: mapping.code,
          name: mapping.name,
          parameters: Object.freeze([mapping.p1, p2, p3, p4] as const),
        })
      : null;
    const violation: Violation = Object.freeze({
      sequence: this.violations.length,
      rule: rule.id,
      title: rule.title,
      severity: rule.severity,
      link: rule.link,
      message,
      ddi: details.ddi,
      args: Object.freeze({ ...details.args }),
      irql: ctx.irql,
      context: ctx.snapshot(),
      driver: owner ? owner.driverName : (frame.driver?.name ?? null),
      adapter: owner ? owner.adapterName : (frame.adapter?.name ?? null),
      allocationSite: siteFrames(details.allocationSite),
      site: this.captureSites ? siteFrames(captureSite()) : [],
      time: this.clock(),
      bugCheck,
    });
    this.violations.push(violation);
    for (const listener of this.listeners) listener(violation);
    if (this.policy === 'bugcheck' && rule.severity !== 'note') throw new BugCheck(bugCheck, violation);
    return violation;
  }
}
