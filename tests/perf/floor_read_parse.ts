/**
 * Floor for a first discovery: start Deno, read the plugin map (`DIR/deno.json`), read every
 * manifest it lists and parse it with js-yaml, print JSON of what each declares. Nothing else: no
 * validation, no index, no cache.
 *
 *   deno run -A tests/perf/floor_read_parse.ts DIR
 */
import { load } from "npm:js-yaml@^5.5.0";

const dir = Deno.args[0] ?? ".";
const map = JSON.parse(Deno.readTextFileSync(`${dir}/deno.json`)).plugins as Record<string, string>;
const out: { name: string; categories: string[] }[] = [];
for (const [name, specifier] of Object.entries(map)) {
  const text = Deno.readTextFileSync(new URL(specifier, `file://${dir}/`));
  const doc = load(text) as Record<string, unknown>;
  out.push({ name, categories: Object.keys(doc).filter((key) => key !== "plugin") });
}
console.log(JSON.stringify(out));
