/**
 * Bad handles and arguments of the port and OID DDIs. They are reported by the generic
 * Ndis_InvalidHandle (kind 'handle') and Ddi_InvalidArgument (kind 'argument') rules
 * (docs/decisions.md, "Invalid handles and arguments"), which register this observer.
 */
import type { PortsMisuseEvent } from '../../events/ports.js';
import { describeHandle, describeValue } from '../../format.js';
import type { RuleDef } from '../../rule.js';
import type { Verifier } from '../../verifier.js';
import { describeCharacteristics, describeNotification } from './args.js';

function describeArg(name: string, value: unknown): unknown {
  if (name === 'PortCharacteristics') return describeCharacteristics(value);
  if (name === 'NetPnPEventNotification') return describeNotification(value);
  if (name.endsWith('Handle') || name === 'OidRequest') return describeHandle(value);
  return typeof value === 'number' ? value : describeValue(value);
}

/** Arguments of the misused DDI by their documented names. */
export function portsMisuseArgs(e: PortsMisuseEvent): Record<string, unknown> {
  const raw = [e.a0, e.a1, e.a2];
  const args: Record<string, unknown> = {};
  e.params.forEach((name, i) => {
    args[name] = describeArg(name, raw[i]);
  });
  return args;
}

/** The observer of `portsMisuse` events of one kind, reporting under `self()`. */
export function portsMisuseObserver(kind: PortsMisuseEvent['kind'], self: () => RuleDef) {
  return (v: Verifier, e: PortsMisuseEvent): void => {
    if (e.kind !== kind) return;
    const shown = String(describeArg(e.parameter, e.value));
    const what =
      kind === 'handle'
        ? `${shown} is not a live miniport adapter handle of this run`
        : e.parameter === 'PortNumber'
          ? `${shown} is not an NDIS_PORT_NUMBER (a ULONG)`
          : e.parameter === 'Status'
            ? `${shown} is not an NDIS_STATUS (a 32-bit integer)`
            : `${shown} is not a structure`;
    v.report(self(), `${e.ddi}: ${e.parameter} ${what}; ${e.outcome}.`, {
      ddi: e.ddi,
      args: portsMisuseArgs(e),
      owner: e.owner,
    });
  };
}
