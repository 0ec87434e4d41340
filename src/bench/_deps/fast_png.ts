// The benchmark names its dependencies in full, one module each (like the library's src/_deps/), so
// it runs imported from a path, a URL or JSR without the importer's import map knowing them.
export { encode } from "npm:fast-png@^8.0.0";
