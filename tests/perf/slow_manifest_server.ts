/**
 * A slow loopback manifest server, for measuring discovery of many remote manifests: answers
 * `/p<N>/registry.yaml` after `--delay-ms` (default 20), one connection per answer. Prints its
 * URL first; on SIGTERM or SIGINT, the most connections it saw open at once.
 *
 *   deno run --allow-net tests/perf/slow_manifest_server.ts --delay-ms 20 --port 8790
 */
import { parseArgs } from "node:util";
import { countingServer } from "../_helpers/counting_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    "delay-ms": { type: "string", default: "20" },
    port: { type: "string", default: "0" },
  },
});
const server = countingServer({
  delayMs: Number(values["delay-ms"]),
  port: Number(values.port),
});
console.log(server.url);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.addSignalListener(signal, () => {
    console.log(JSON.stringify({ maxOpen: server.maxOpen, served: server.served }));
    Deno.exit(0);
  });
}
