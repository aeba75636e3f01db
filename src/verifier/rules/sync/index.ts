/** The sync family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';

export const SYNC_RULES: readonly RuleDef[] = [];
