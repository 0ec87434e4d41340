import { createRegistry, loadPluginMap } from "@plugmap/plugmap";

const registry = await createRegistry({
  host: { name: "quick-start", version: "1.4.0" },
  categories: { phase_hook: { description: "Called at each phase of a run" } },
  plugins: await loadPluginMap(new URL("./app.json", import.meta.url)),
});
const hooks = registry.factory<{ onPhaseStart(phase: string): string }>("phase_hook");
const announce = await hooks.create("announce", { prefix: ">>" }); // imported only now
console.log(announce.onPhaseStart("warmup")); // >> WARMUP!
