/** The ports family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';

export const PORTS_RULES: readonly RuleDef[] = [];
