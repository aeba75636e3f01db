/** Dma check points (issue 3). Each family owns its events file. */

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the dma family
export interface DmaEvents {}

export const DMA_EVENT_NAMES: readonly (keyof DmaEvents)[] = [];
