/** Writes docs/rules.md from the rule catalogue. */
import { writeFileSync } from 'node:fs';
import { CATALOGUE } from '../src/verifier/catalogue.js';
import { renderRulesDoc } from '../src/verifier/rules-doc.js';

const target = new URL('../../docs/rules.md', import.meta.url);
writeFileSync(target, renderRulesDoc(CATALOGUE));
console.log(`wrote docs/rules.md (${CATALOGUE.length} rules)`);
