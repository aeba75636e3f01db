/** Ports check points (issue 4). Each family owns its events file. */

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the ports family
export interface PortsEvents {}

export const PORTS_EVENT_NAMES: readonly (keyof PortsEvents)[] = [];
