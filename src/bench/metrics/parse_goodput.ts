// --goodput is a setting: its parser lives with the settings (config/), which the metrics use.
export * from "../config/parse_goodput.ts";
