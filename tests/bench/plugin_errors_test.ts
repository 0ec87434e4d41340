// Errors that help a plugin author: strict plugins, a non-mapping benchmark file, did-you-mean
// for file keys and flags, the output directory made for a plugin's exporter.
import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { BENCH_HOST } from "../../src/bench/mod.ts";
import { ROOT, runMain, tempTree } from "./_helpers.ts";

const QUICK = `phases: { warmup: { request_count: 0 }, profiling: { request_count: 3 } }
server: { ttft_ms: 1, itl_ms: 0, output_tokens: 2 }
exporters: []
`;

// A plugin folder: a manifest, a hook that throws in onPhaseComplete and a file exporter.
const PLUGIN = {
  "plugin/registry.yaml":
    `plugin: { name: mine, version: 1.0.0, requires: ["${BENCH_HOST.name}>=${BENCH_HOST.version}"] }
phase_hook:
  thrower: ./thrower.ts#Thrower
exporter:
  marker: ./marker.ts#Marker
`,
  "plugin/thrower.ts": `export class Thrower {
  onPhaseComplete() { throw new Error("boom"); }
}
`,
  "plugin/marker.ts": `export class Marker {
  constructor(_config, context) { this.dir = context.outputDir; }
  async export() {
    const path = this.dir + "/nested-marker.txt";
    await Deno.writeTextFile(path, "ok\\n");
    return [path];
  }
}
`,
  // Unused by every run below, and broken: an unknown key in its manifest.
  "broken/registry.yaml":
    "plugin: { name: broken, version: 1.0.0 }\nphase_hook:\n  x: { clas: ./x.ts }\n",
};

Deno.test("strict: a broken plugin the run does not use fails the run before it starts", async () => {
  const dir = await tempTree({
    ...PLUGIN,
    "bench.yaml": QUICK +
      "plugins:\n  map: { mine: ./plugin/registry.yaml, broken: ./broken/registry.yaml }\n",
    "strict.yaml": QUICK + "strict: true\nplugins:\n  map: { broken: ./broken/registry.yaml }\n",
  });
  try {
    const lax = await runMain(["--config", join(dir, "bench.yaml"), "--no-progress"]);
    equal(lax.status, 0, lax.stderr);
    match(lax.stderr, /broken\/registry\.yaml:3:\d+: error/);
    const strict = await runMain(["--config", join(dir, "bench.yaml"), "--strict-plugins"]);
    equal(strict.status, 1);
    match(strict.stderr, /broken\/registry\.yaml:3:\d+: error/);
    match(strict.stderr, /error: 2 plugin problems \(strict plugins/);
    ok(!strict.stderr.includes("Embedded server"), "the run does not start");
    const file = await runMain(["--config", join(dir, "strict.yaml")]);
    equal(file.status, 1, "strict: true in the file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("strict: a hook that throws fails the run after it reports; lax, a warning", async () => {
  const dir = await tempTree({
    ...PLUGIN,
    "bench.yaml": QUICK +
      "plugins:\n  map: { mine: ./plugin/registry.yaml }\n  phase_hooks: [thrower]\n",
  });
  try {
    const lax = await runMain(["--config", join(dir, "bench.yaml"), "--no-progress"]);
    equal(lax.status, 0, lax.stderr);
    match(lax.stderr, /warning: phase hook "thrower" threw in onPhaseComplete \(profiling\): boom/);
    const strict = await runMain([
      "--config",
      join(dir, "bench.yaml"),
      "--no-progress",
      "--strict-plugins",
    ]);
    equal(strict.status, 1, strict.stderr);
    match(
      strict.stderr,
      /FAILED: phase hook "thrower" threw in onPhaseComplete \(profiling\): boom/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exporters: the output directory is created for a plugin's exporter", async () => {
  const dir = await tempTree({
    ...PLUGIN,
    "bench.yaml": QUICK.replace("exporters: []", "exporters: [marker]") +
      "plugins:\n  map: { mine: ./plugin/registry.yaml }\n",
  });
  try {
    const out = join(dir, "a", "b", "out");
    const run = await runMain(["--config", join(dir, "bench.yaml"), "--output", out]);
    equal(run.status, 0, run.stderr);
    equal(await Deno.readTextFile(join(out, "nested-marker.txt")), "ok\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("benchmark file: not a mapping, unknown keys with did-you-mean, lists for mappings", async () => {
  const dir = await tempTree({
    "list.yaml": "- endpoint\n- phases\n",
    "text.yaml": "just some words\n",
    "typos.yaml": "phasse: { profiling: { request_count: 1 } }\nserver:\n  tft_ms: 3\n",
    "nested.yaml": "phases: [1, 2]\nplugins:\n  phase_hooks: [{ nme: x }]\n",
    "empty.yaml": "",
  });
  try {
    const list = await runMain(["--config", join(dir, "list.yaml")]);
    equal(list.status, 2);
    match(
      list.stderr,
      /list\.yaml": line 1, column 1: expected a mapping of settings .*got a list/,
    );
    match(
      (await runMain(["--config", join(dir, "text.yaml")])).stderr,
      /expected a mapping .* got the text "just some words"/,
    );
    const typos = (await runMain(["--config", join(dir, "typos.yaml")])).stderr;
    match(
      typos,
      /line 1, column 1: phasse: unknown key "phasse" \(did you mean "phases"\?\); known keys: endpoint,/,
    );
    match(
      typos,
      /line 3, column 3: server\.tft_ms: unknown key "tft_ms" \(did you mean "ttft_ms"\?\)/,
    );
    const nested = (await runMain(["--config", join(dir, "nested.yaml")])).stderr;
    match(nested, /line 1, column 9: phases: expected a mapping, got a list/);
    match(nested, /plugins\.phase_hooks\[0\]\.nme: unknown key "nme" \(did you mean "name"\?\)/);
    ok(!nested.includes('"0"'), nested);
    // An empty file is an empty mapping: the defaults.
    equal(
      (await runMain([
        "--config",
        join(dir, "empty.yaml"),
        "--request-count",
        "2",
        "--warmup-request-count",
        "0",
        "--no-progress",
      ])).status,
      0,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("flags: an unknown flag gets the nearest known one", async () => {
  const typo = await runMain(["--concurency", "4"]);
  equal(typo.status, 2);
  match(typo.stderr, /Invalid flag --concurency: unknown flag \(did you mean "--concurrency"\?\)/);
  const far = await runMain(["--zzzzzzzzzz"]);
  match(far.stderr, /Invalid flag --zzzzzzzzzz: unknown flag; see --help/);
});

// In a child process, as a user runs it: the hanging import goes on after the run fails, and Deno
// would report its unsettled top-level await in this test runner.
Deno.test("--plugin-load-timeout: a plugin that never finishes loading is named, then fails the run", async () => {
  const dir = await tempTree({
    "hang/registry.yaml":
      "plugin: { name: hang, version: 1.0.0 }\nphase_hook:\n  stuck: ./stuck.ts#Stuck\n",
    // A real module whose top-level await never settles.
    "hang/stuck.ts": "await new Promise(() => {});\nexport class Stuck {}\n",
    "bench.yaml": QUICK +
      "plugins:\n  map: { hang: ./hang/registry.yaml }\n  phase_hooks: [stuck]\n",
  });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `--config=${join(ROOT, "deno.json")}`,
        join(ROOT, "src/bench/main.ts"),
        "--config",
        join(dir, "bench.yaml"),
        "--no-progress",
        "--plugin-load-timeout",
        "1.5",
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    equal(output.code, 2, stderr);
    const module = `file://${join(dir, "hang/stuck.ts")}`;
    // Said while it is still loading, then the error naming the plugin, the module and the time.
    match(stderr, new RegExp(`Loading phase_hook "stuck" from ${module} \\(more than 1 s`));
    match(
      stderr,
      new RegExp(
        `Cannot load "hang/stuck" from "${module}": It did not finish loading within 1500 ms \\(waited \\d+ ms\\)`,
      ),
    );
    ok(!stderr.includes("Embedded server"), "nothing was started");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
