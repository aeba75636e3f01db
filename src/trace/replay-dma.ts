/** Replay of the dma family's DDIs (one entry per DDI; see REPLAY in replay.ts). */
import type { CallbackHooks, ReplayEntry } from './replay.js';

export const DMA_REPLAY: Readonly<Record<string, ReplayEntry>> = {};

export const DMA_HOOKS: Readonly<Record<string, CallbackHooks>> = {};
