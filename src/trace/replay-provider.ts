/** Replay of the provider family's DDIs (one entry per DDI; see REPLAY in replay.ts). */
import type { CallbackHooks, ReplayEntry } from './replay.js';

export const PROVIDER_REPLAY: Readonly<Record<string, ReplayEntry>> = {};

export const PROVIDER_HOOKS: Readonly<Record<string, CallbackHooks>> = {};
