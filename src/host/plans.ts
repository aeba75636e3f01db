/**
 * Fault plans: which resource-allocating calls of a run fail. A plan is data with a compact text
 * form (`nth:3`, `nth:3+7`, `site:1a2b3c4d`, `random:0.06@5`, `random:0.06@5[Rx*,Tx*]`) so every
 * finding of `explore` comes with a command that reproduces it exactly (`run --faults <plan>`).
 */
import type { AllocationRequest, FaultHook } from '../engine/faults.js';
import { Random } from '../machine/random.js';
import { captureSite, siteFrames } from '../verifier/site.js';

/** Fail the listed ordinals (1-based counts of resource-allocating calls). */
export interface NthPlan {
  readonly kind: 'nth';
  readonly ordinals: readonly number[];
}
/** Fail the first call made from this allocation site (a driver-relative call stack, by id). */
export interface SitePlan {
  readonly kind: 'site';
  readonly site: string;
}
/** Fail each call with probability `rate` (seeded), only pool tags matching `tags` when given. */
export interface RandomPlan {
  readonly kind: 'random';
  readonly rate: number;
  readonly seed: number;
  readonly tags: readonly string[];
}
export type FaultPlan = NthPlan | SitePlan | RandomPlan;

/** One call that a plan failed. */
export interface InjectedFault {
  readonly ordinal: number;
  readonly ddi: string;
  readonly site: string;
  readonly frames: readonly string[];
}

/** One resource-allocating call as a run made it (ordinal, DDI, site). */
export interface AllocationCall {
  readonly ordinal: number;
  readonly ddi: string;
  readonly tag: number;
  /** Site id: a stable hash of the driver frames. */
  readonly site: string;
  /** The driver frames, innermost first. */
  readonly frames: readonly string[];
}

/**
 * The text form of a plan; `parsePlan` reads it back to the same plan for every plan whose tag
 * patterns pass `tagPatternProblem` (a rate prints as JavaScript does, `1e-7` included).
 */
export function formatPlan(plan: FaultPlan): string {
  if (plan.kind === 'nth') return `nth:${plan.ordinals.join('+')}`;
  if (plan.kind === 'site') return `site:${plan.site}`;
  return `random:${plan.rate}@${plan.seed}${plan.tags.length > 0 ? `[${plan.tags.join(',')}]` : ''}`;
}

/**
 * What is wrong with a pool-tag pattern of a random plan, or null: `[`, `]` and `,` delimit the
 * pattern list in the plan's text form, so a pattern holding one would not read back.
 */
export function tagPatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'a pool-tag pattern is not empty';
  if (/[[\],]/.test(pattern)) return `pool-tag pattern '${pattern}' holds '[', ']' or ','`;
  return null;
}

/** Parses the text form; a string saying what is wrong when it is not a plan. */
export function parsePlan(text: string): FaultPlan | string {
  const nth = /^nth:(\d+(?:\+\d+)*)$/.exec(text);
  if (nth) {
    const ordinals = nth[1].split('+').map(Number);
    if (ordinals.some((n) => n < 1)) return `fault plan '${text}': ordinals start at 1`;
    return { kind: 'nth', ordinals };
  }
  const site = /^site:([0-9a-f]{8})$/.exec(text);
  if (site) return { kind: 'site', site: site[1] };
  // The rate as formatPlan prints it: `0.06`, `1`, or with an exponent (`1e-7`).
  const random = /^random:([0-9.]+(?:[eE][-+]?\d+)?)@(\d+)(?:\[([^\]]*)\])?$/.exec(text);
  if (random) {
    const rate = Number(random[1]);
    if (!(rate >= 0 && rate <= 1)) return `fault plan '${text}': the rate must be between 0 and 1`;
    const seed = Number(random[2]);
    if (!Number.isSafeInteger(seed)) return `fault plan '${text}': the seed is too large`;
    const tags = random[3] ? random[3].split(',').filter((t) => t.length > 0) : [];
    for (const tag of tags) {
      const problem = tagPatternProblem(tag);
      if (problem !== null) return `fault plan '${text}': ${problem}`;
    }
    return { kind: 'random', rate, seed, tags };
  }
  return `'${text}' is not a fault plan (nth:3, nth:3+7, site:1a2b3c4d, random:0.06@5 or random:0.06@5[Rx*])`;
}

/** FNV-1a of a string as 8 hex digits: a short, stable id for a call stack. */
function siteId(frames: readonly string[]): string {
  let hash = 0x811c9dc5;
  const text = frames.join('\n');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The driver's own frames (those under `root`, its folder), made relative to it: a site is then the
 * same wherever the driver lives and whoever drives the host (the command, a test, a script).
 */
function relativeFrames(root: string): readonly string[] {
  return siteFrames(captureSite())
    .filter((f) => f.includes(root))
    .map((f) => f.split(root).join(''));
}

/** A pool tag as its four characters in memory order. */
function tagText(tag: number): string {
  let text = '';
  for (let i = 0; i < 4; i++) text += String.fromCharCode((tag >>> (8 * i)) & 0xff);
  return text;
}

/**
 * Whether a pool tag matches one of `patterns` (`*` any run of characters; none: every tag, untagged
 * included). The patterns compile once a plan, and each tag's answer is kept: the hook runs on every
 * allocation, and a driver uses a handful of tags.
 */
function tagMatcher(patterns: readonly string[]): (tag: number) => boolean {
  if (patterns.length === 0) return () => true;
  const alternatives = patterns.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*'));
  const pattern = new RegExp(`^(?:${alternatives.join('|')})$`);
  const known = new Map<number, boolean>();
  return (tag) => {
    let match = known.get(tag);
    if (match === undefined) {
      match = tag !== 0 && pattern.test(tagText(tag));
      known.set(tag, match);
    }
    return match;
  };
}

/** What a planned run records: every allocation call (when asked) and every injected fault. */
export interface PlanHook {
  readonly hook: FaultHook;
  readonly calls: AllocationCall[];
  readonly injected: InjectedFault[];
}

/**
 * The fault hook for `plan` (null plan: fail nothing). Sites are captured only when the plan
 * needs them or `recordCalls` is set (exploration's baseline), since capture costs ~2 µs a call.
 */
export function planHook(plan: FaultPlan | null, root: string, recordCalls = false): PlanHook {
  const calls: AllocationCall[] = [];
  const injected: InjectedFault[] = [];
  const random = plan?.kind === 'random' ? new Random(plan.seed) : null;
  const tagMatches = plan?.kind === 'random' ? tagMatcher(plan.tags) : null;
  let siteDone = false;
  const hook: FaultHook = (request: AllocationRequest) => {
    const needSite = recordCalls || (plan?.kind === 'site' && !siteDone);
    const frames = needSite ? relativeFrames(root) : [];
    const site = needSite ? siteId(frames) : '';
    if (recordCalls)
      calls.push({ ordinal: request.ordinal, ddi: request.ddi, tag: request.tag, site, frames });
    let fail = false;
    if (plan?.kind === 'nth') fail = plan.ordinals.includes(request.ordinal);
    else if (plan?.kind === 'site' && !siteDone && site === plan.site) fail = siteDone = true;
    else if (random !== null && tagMatches !== null && plan?.kind === 'random') {
      fail = tagMatches(request.tag) && random.chance(plan.rate);
    }
    if (fail) {
      // Capture at the injection itself (once a run) so every fault is tied to its site.
      const at = needSite ? frames : relativeFrames(root);
      injected.push({
        ordinal: request.ordinal,
        ddi: request.ddi,
        site: needSite ? site : siteId(at),
        frames: at,
      });
    }
    return fail;
  };
  return { hook, calls, injected };
}
