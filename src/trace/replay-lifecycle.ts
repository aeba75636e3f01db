/** Replay of the lifecycle family's DDIs (one entry per DDI; see REPLAY in replay.ts). */
import type { CallbackHooks, ReplayEntry } from './replay.js';

export const LIFECYCLE_REPLAY: Readonly<Record<string, ReplayEntry>> = {};

export const LIFECYCLE_HOOKS: Readonly<Record<string, CallbackHooks>> = {};
