import { createRegistry, formatDiagnostic, loadPluginMap } from "@plugmap/plugmap";
import * as v from "valibot";

/** What the host calls at each phase of a run. */
interface PhaseHook {
  onPhaseStart(phase: string): string;
}

const registry = await createRegistry({
  host: { name: "quick-start", version: "1.4.0" }, // plugins may require "quick-start>=1.2"
  categories: {
    phase_hook: {
      description: "Called at each phase of a run",
      instance: v.object({ onPhaseStart: v.function() }), // checked on create
    },
  },
  builtins: new URL("./registry.yaml", import.meta.url), // the host's own implementations
  plugins: await loadPluginMap(new URL("./app.json", import.meta.url)), // its "plugins" object
});
for (const d of registry.diagnostics) console.warn(formatDiagnostic(d)); // broken plugins: no crash

const hooks = registry.factory<PhaseHook>("phase_hook");
// Listing reads the manifests only: no plugin code has been imported yet.
for (const i of hooks.list()) {
  console.log([i.qualifiedName, i.description].filter(Boolean).join(": "));
}

const loud = await hooks.create("announce", { prefix: ">>", repeat: 2 }); // the plugin's, imported now
console.log(loud.onPhaseStart("warmup"));
const builtin = await hooks.create("quick-start/announce"); // the built-in it shadows
console.log(builtin.onPhaseStart("warmup"));

for (const c of hooks.explain("announce").candidates) {
  console.log(`${c.implementation.qualifiedName} ${c.status}: ${c.reason}`);
}
