// The benchmark names its dependencies in full, one module each (like the library's src/_deps/), so
// it runs imported from a path, a URL or JSR without the importer's import map knowing them.
import jpeg from "npm:jpeg-js@^0.4.4";

/** jpeg-js's encoder: RGBA pixels to a baseline JPEG. */
export const encode: typeof jpeg.encode = jpeg.encode;
