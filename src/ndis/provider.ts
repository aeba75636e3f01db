/** Provider DDIs (issue 4). */
export {};
