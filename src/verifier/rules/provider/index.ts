/** The provider family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';

export const PROVIDER_RULES: readonly RuleDef[] = [];
