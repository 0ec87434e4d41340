// --search-space is a setting: its parser lives with the settings (config/).
export * from "../config/parse_search_space.ts";
