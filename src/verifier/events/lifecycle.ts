/** Lifecycle check points (issue 3). Each family owns its events file. */

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the lifecycle family
export interface LifecycleEvents {}

export const LIFECYCLE_EVENT_NAMES: readonly (keyof LifecycleEvents)[] = [];
