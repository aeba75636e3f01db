/** Sync check points (issue 3). Each family owns its events file. */

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the sync family
export interface SyncEvents {}

export const SYNC_EVENT_NAMES: readonly (keyof SyncEvents)[] = [];
