// The list flags' parsers are settings: they live in config/.
export * from "../config/flag_lists.ts";
