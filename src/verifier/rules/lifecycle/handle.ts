/**
 * Bad handles given to the lifecycle DDIs. They are reported by the generic Ndis_InvalidHandle rule
 * (docs/decisions.md, "Invalid handles and arguments"), which registers this observer.
 */
import type { LifecycleHandleEvent } from '../../events/lifecycle.js';
import { describeHandle } from '../../format.js';
import type { RuleDef } from '../../rule.js';
import type { Verifier } from '../../verifier.js';

/** The observer of `lifecycleHandle` events, reporting under `self()`. */
export function lifecycleHandleObserver(self: () => RuleDef) {
  return (v: Verifier, e: LifecycleHandleEvent): void => {
    const shown = String(describeHandle(e.value));
    const what = e.stale ? `${shown} is gone (deregistered or removed)` : `${shown} is not ${e.expected}`;
    v.report(self(), `${e.ddi}: ${e.parameter} ${what}; it ${e.outcome}.`, {
      ddi: e.ddi,
      args: e.args,
      owner: e.owner,
    });
  };
}
