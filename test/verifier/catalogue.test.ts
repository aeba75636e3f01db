import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/verifier/catalogue.js';
import { renderRulesDoc } from '../../src/verifier/rules-doc.js';

const root = new URL('../../', import.meta.url);

describe('rule catalogue', () => {
  it('has unique ids, titles, official links and severities', () => {
    const ids = CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of CATALOGUE) {
      expect(r.id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.link).toMatch(/^https:\/\/learn\.microsoft\.com\/en-us\/windows-hardware\/drivers\//);
      expect(['error', 'warning', 'note']).toContain(r.severity);
      expect(Object.keys(r.observe).length).toBeGreaterThan(0);
    }
  });

  it.each(CATALOGUE.map((r) => [r.id, r.conformance ?? `${r.id}.test.ts`]))(
    '%s has conformance tests that break it and keep it (%s)',
    (id, name) => {
      const file = new URL(`test/conformance/${name}`, root);
      expect(existsSync(file), `test/conformance/${name}`).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/it\(\s*['"`]breaks:/);
      expect(text).toMatch(/it\(\s*['"`]keeps:/);
      // A rule-named file is about that rule; a table-driven file derives its cases from the same table.
      if (name === `${id}.test.ts`) expect(text).toContain(`describe('${id}'`);
    },
  );

  it('docs/rules.md is generated from the catalogue (npm run docs:rules)', () => {
    const doc = readFileSync(new URL('docs/rules.md', root), 'utf8');
    expect(doc).toBe(renderRulesDoc(CATALOGUE));
  });
});
