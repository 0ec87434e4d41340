// The benchmark names its dependencies in full, one module each (like the library's src/_deps/), so
// it runs imported from a path, a URL or JSR without the importer's import map knowing them.
import wavefile from "npm:wavefile@^11.0.0";

/** wavefile's WAV writer (the package is CommonJS: its class is on the default export). */
export const WaveFile: typeof wavefile.WaveFile = wavefile.WaveFile;
