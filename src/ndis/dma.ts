/** Dma DDIs (issue 3). */
export {};
