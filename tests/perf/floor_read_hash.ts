/**
 * Floor for a second discovery: start Deno, read the plugin map (`DIR/deno.json`), read every
 * manifest it lists and hash it (SHA-256, node:crypto, as plugmap does), print JSON. Nothing else:
 * what a snapshot hit cannot avoid.
 *
 *   deno run -A tests/perf/floor_read_hash.ts DIR
 */
import { createHash } from "node:crypto";

const dir = Deno.args[0] ?? ".";
const map = JSON.parse(Deno.readTextFileSync(`${dir}/deno.json`)).plugins as Record<string, string>;
const out: { name: string; integrity: string }[] = [];
for (const [name, specifier] of Object.entries(map)) {
  const bytes = Deno.readFileSync(new URL(specifier, `file://${dir}/`));
  out.push({ name, integrity: `sha256-${createHash("sha256").update(bytes).digest("hex")}` });
}
console.log(JSON.stringify(out));
