/** Provider check points (issue 4). Each family owns its events file. */

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the provider family
export interface ProviderEvents {}

export const PROVIDER_EVENT_NAMES: readonly (keyof ProviderEvents)[] = [];
