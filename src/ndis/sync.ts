/** Sync DDIs (issue 3). */
export {};
