/** The dma family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';

export const DMA_RULES: readonly RuleDef[] = [];
