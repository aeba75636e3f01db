/** Replay of the ports family's DDIs (one entry per DDI; see REPLAY in replay.ts). */
import type { CallbackHooks, ReplayEntry } from './replay.js';

export const PORTS_REPLAY: Readonly<Record<string, ReplayEntry>> = {};

export const PORTS_HOOKS: Readonly<Record<string, CallbackHooks>> = {};
