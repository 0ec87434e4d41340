/** plugmap's version, as published (a test keeps it equal to deno.json's). */
export const PLUGMAP_VERSION = "0.2.0";
