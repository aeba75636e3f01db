/** Lifecycle DDIs (issue 3). */
export {};
