/**
 * IRQL rules over the IRQL table: the official Irql_Miniport_Driver_Function,
 * Irql_Gather_DMA_Function and Irql_Protocol_Driver_Function, the table part of
 * Irql_Miscellaneous_Function, and one descriptive `Irql_<DDI>` rule for each DDI that has a
 * documented IRQL but no official rule (D30). Conformance: test/conformance/irql.test.ts.
 */
import type { DdiEnterEvent } from '../events.js';
import { describeAddress, describeHandle } from '../format.js';
import { IRQL_TABLE, type IrqlEntry } from '../irql-table.js';
import { DDI, DEVTEST, type RuleDef, rule } from '../rule.js';
import type { Verifier } from '../verifier.js';

const NAMES = ['PASSIVE_LEVEL', 'APC_LEVEL', 'DISPATCH_LEVEL'];

function level(irql: number): string {
  return NAMES[irql] ?? String(irql);
}

function requirement(entry: IrqlEntry): string {
  if (entry.min === entry.max) return `IRQL == ${level(entry.min)}`;
  return `IRQL <= ${level(entry.max)}`;
}

/** Arguments of a table DDI by their documented names. */
export function ddiArgs(e: DdiEnterEvent, entry: IrqlEntry): Record<string, unknown> {
  const raw = [e.a0, e.a1, e.a2, e.a3, e.a4];
  const args: Record<string, unknown> = {};
  entry.params.forEach((name, i) => {
    const value = raw[i];
    args[name] =
      typeof value === 'object' || typeof value === 'function'
        ? describeHandle(value)
        : /Address|Handle/.test(name)
          ? describeAddress(value)
          : value;
  });
  return args;
}

/**
 * The one ddiEnter observer every IRQL rule shares: the verifier calls a shared observer once per
 * event (it de-duplicates), so the cost of a DDI call does not grow with the number of IRQL rules.
 * It reports under the rule that names the DDI, if that rule is active in the run.
 */
export function observeIrql(v: Verifier, e: DdiEnterEvent): void {
  if (!e.outOfRange) return;
  const entry = e.entry as IrqlEntry;
  const self = v.rules.get(entry.rule ?? `Irql_${e.ddi}`);
  if (self === undefined) return;
  v.report(self, `${e.ddi} called at IRQL ${level(e.irql)}; it requires ${requirement(entry)}.`, {
    ddi: e.ddi,
    args: ddiArgs(e, entry),
    owner: e.owner,
  });
}

function official(id: NonNullable<IrqlEntry['rule']>, title: string, page: string): RuleDef {
  return rule({
    id,
    title,
    link: `${DEVTEST}${page}`,
    severity: 'error',
    conformance: 'irql.test.ts',
    observe: { ddiEnter: observeIrql },
  });
}

export const Irql_Miniport_Driver_Function = official(
  'Irql_Miniport_Driver_Function',
  'NDIS miniport functions (NdisMXxx) are called at their documented IRQL.',
  'ndis-irql-miniport-driver-function',
);

export const Irql_Gather_DMA_Function = official(
  'Irql_Gather_DMA_Function',
  'Scatter-gather DMA functions are called at their documented IRQL.',
  'ndis-irql-gather-dma-function',
);

export const Irql_Protocol_Driver_Function = official(
  'Irql_Protocol_Driver_Function',
  'Protocol-driver functions (NdisMNetPnPEvent among them) are called at their documented IRQL.',
  'ndis-irql-protocol-driver-function',
);

/** One `Irql_<DDI>` rule per table DDI without an official rule. */
export const DESCRIPTIVE_IRQL_RULES: readonly RuleDef[] = Object.entries(IRQL_TABLE)
  .filter(([, entry]) => entry.rule === undefined)
  .map(([ddi, entry]) =>
    rule({
      id: `Irql_${ddi}`,
      title: `${ddi} is called at ${requirement(entry)} (documented IRQL; no official rule names it).`,
      link: `${DDI}ndis/${entry.page}`,
      severity: 'error',
      conformance: 'irql.test.ts',
      observe: { ddiEnter: observeIrql },
    }),
  );
