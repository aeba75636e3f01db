/** Replay of the sync family's DDIs (one entry per DDI; see REPLAY in replay.ts). */
import type { CallbackHooks, ReplayEntry } from './replay.js';

export const SYNC_REPLAY: Readonly<Record<string, ReplayEntry>> = {};

export const SYNC_HOOKS: Readonly<Record<string, CallbackHooks>> = {};
