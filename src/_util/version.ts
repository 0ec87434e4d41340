/** plugmap's version, as published (a test keeps it equal to deno.json's). Part of every key of the index snapshot. */
export const PLUGMAP_VERSION = "0.2.0";
