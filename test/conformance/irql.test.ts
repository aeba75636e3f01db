/**
 * Table-driven conformance of the IRQL rules over src/verifier/irql-table.ts: for every DDI, a call
 * outside its documented range breaks the rule that names it (official or Irql_<DDI>), and calls at
 * both ends of the range keep it. The families' own tests show their DDIs announce themselves.
 */
import { describe, expect, it } from 'vitest';
import { IRQL_TABLE } from '../../src/verifier/irql-table.js';
import { sim } from '../harness.js';

const cases = Object.entries(IRQL_TABLE).map(([ddi, entry]) => ({
  ddi,
  entry,
  rule: entry.rule ?? `Irql_${ddi}`,
}));

describe.each(cases)('$rule ($ddi)', ({ ddi, entry, rule }) => {
  it(`breaks: ${ddi} above its highest documented IRQL`, () => {
    const s = sim();
    s.at(entry.max + 1, () => s.engine.enterDdi(ddi, s.adapter, s.adapter, 7));
    const found = s.findings(rule);
    expect(found).toHaveLength(1);
    expect(found[0].ddi).toBe(ddi);
    expect(found[0].irql).toBe(entry.max + 1);
    expect(found[0].adapter).toBe('TestAdapter');
    expect(found[0].args[entry.params[0]]).toBeDefined();
    expect(found[0].message).toContain(ddi);
  });

  if (entry.min > 0) {
    it(`breaks: ${ddi} below its lowest documented IRQL`, () => {
      const s = sim();
      s.at(entry.min - 1, () => s.engine.enterDdi(ddi, s.adapter));
      expect(s.findings(rule)).toHaveLength(1);
    });
  }

  it(`keeps: ${ddi} at both ends of its documented range`, () => {
    const s = sim();
    s.at(entry.min, () => s.engine.enterDdi(ddi, s.adapter));
    s.at(entry.max, () => s.engine.enterDdi(ddi, s.adapter));
    expect(s.engine.violations).toHaveLength(0);
  });

  it(`keeps: only ${rule} reports ${ddi} (no other IRQL rule claims it)`, () => {
    const s = sim();
    s.at(entry.max + 1, () => s.engine.enterDdi(ddi, s.adapter));
    expect(s.engine.violations.map((v) => v.rule)).toEqual([rule]);
  });
});
