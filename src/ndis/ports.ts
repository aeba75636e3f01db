/** Ports DDIs (issue 4). */
export {};
