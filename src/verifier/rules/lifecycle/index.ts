/** The lifecycle family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';

export const LIFECYCLE_RULES: readonly RuleDef[] = [];
