/**
 * Bad handles and arguments of the spin-lock, work-item and timer DDIs. They are reported by the
 * generic Ndis_InvalidHandle (kind 'handle') and Ddi_InvalidArgument (kind 'argument') rules
 * (docs/decisions.md, "Invalid handles and arguments"), which register this observer.
 */
import type { SyncMisuseEvent } from '../../events/sync.js';
import type { RuleDef } from '../../rule.js';
import type { Verifier } from '../../verifier.js';
import { describeArg } from './args.js';

/** Arguments of the misused DDI by their documented names. */
export function misuseArgs(e: SyncMisuseEvent): Record<string, unknown> {
  const raw = [e.a0, e.a1, e.a2, e.a3];
  const args: Record<string, unknown> = {};
  e.params.forEach((name, i) => {
    args[name] = describeArg(raw[i]);
  });
  return args;
}

/** The observer of `syncMisuse` events of one kind, reporting under `self()`. */
export function syncMisuseObserver(kind: SyncMisuseEvent['kind'], self: () => RuleDef) {
  return (v: Verifier, e: SyncMisuseEvent): void => {
    if (e.kind !== kind) return;
    const shown = String(describeArg(e.value));
    const what = e.stale ? `${shown} was already freed` : `${shown} is not ${e.expected}`;
    v.report(self(), `${e.ddi}: ${e.parameter} ${what}; it ${e.outcome}.`, {
      ddi: e.ddi,
      args: misuseArgs(e),
      owner: e.owner,
      allocationSite: e.site,
    });
  };
}
