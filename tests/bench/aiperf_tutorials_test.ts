// AIPerf's tutorial command lines (tests/bench/aiperf_scripts/tutorial_commands.yaml, copied
// verbatim from its docs) run as `deno task bench` with only the URL changed, each in an empty
// directory, as a user switching from `aiperf profile` would run them: exit 0, and AIPerf's files
// in AIPerf's default artifacts/ directory with the requests the command asks for.
import { load } from "js-yaml";
import { assert, assertEquals } from "./_assert.ts";
import { ROOT } from "./_helpers.ts";
import { startServer } from "../../src/bench/server/start_server.ts";
import type { RunningServer } from "../../src/bench/server/start_server.ts";
import { parseBenchArgs } from "../../src/bench/config/parse_bench_args.ts";
import { resolveSettings } from "../../src/bench/config/resolve_settings.ts";

interface TutorialCommand {
  readonly id: string;
  readonly page: string;
  readonly source: string;
  readonly command: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly requests?: number;
  readonly min_requests?: number;
  readonly skip?: string;
  readonly long?: string;
  /** More of AIPerf's files the command writes (beside the four every run writes). */
  readonly writes?: readonly string[];
  /**
   * `--num-profile-runs N`: each run's files in `profile_runs/run_000I/`, with `requests`
   * records each, and the statistics over the runs in `aggregate/`.
   */
  readonly runs?: number;
}

const COMMANDS = load(
  await Deno.readTextFile(`${ROOT}tests/bench/aiperf_scripts/tutorial_commands.yaml`),
) as TutorialCommand[];

/**
 * The words of a shell command line, as a POSIX shell splits them: `#` comment lines dropped,
 * backslash-newline joins lines, single and double quotes group, a backslash escapes.
 */
export function shellWords(command: string): string[] {
  const text = command.split("\n").filter((line) => !line.trimStart().startsWith("#")).join("\n")
    .replace(/\\\n/g, " ");
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let quoted = "";
      for (i++; text[i] !== '"'; i++) {
        if (text[i] === "\\" && /["\\$`]/.test(text[i + 1] ?? "")) i++;
        quoted += text[i];
      }
      word = (word ?? "") + quoted;
    } else if (c === "\\") {
      word = (word ?? "") + text[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The bench's arguments for an `aiperf profile` command: its words, the URL pointed at `url`. */
export function benchArgs(command: string, url: string): string[] {
  const words = shellWords(command);
  assertEquals(words.slice(0, 2), ["aiperf", "profile"], command);
  const args = words.slice(2);
  const at = args.findIndex((w) => w === "--url" || w === "-u");
  if (at >= 0) args[at + 1] = url;
  else args.push("--url", url);
  return args;
}

Deno.test("aiperf tutorials: the command lines are split as a shell splits them", () => {
  assertEquals(
    shellWords('# note\naiperf profile \\\n  -m a/b \\\n  --goodput "x:1 y:2" \\\n'),
    ["aiperf", "profile", "-m", "a/b", "--goodput", "x:1 y:2"],
  );
  assertEquals(shellWords(`a 'b c' d\\ e "f\\"g"`), ["a", "b c", "d e", 'f"g']);
  assertEquals(benchArgs("aiperf profile --url localhost:8000 -m x", "http://h:1"), [
    "--url",
    "http://h:1",
    "-m",
    "x",
  ]);
  assertEquals(benchArgs("aiperf profile -m x", "http://h:1"), ["-m", "x", "--url", "http://h:1"]);
});

Deno.test("aiperf tutorials: every entry names its page and source, and says why it is skipped", () => {
  const ids = new Set<string>();
  for (const entry of COMMANDS) {
    assert(!ids.has(entry.id), `two entries ${entry.id}`);
    ids.add(entry.id);
    assert(/^https:\/\//.test(entry.page), entry.id);
    assert(entry.source.startsWith("docs/"), entry.id);
    assert(entry.command.includes("aiperf profile"), entry.id);
    assert(
      entry.skip !== undefined || entry.long !== undefined || entry.requests !== undefined ||
        entry.min_requests !== undefined,
      `${entry.id}: no expected request count`,
    );
  }
});

Deno.test("aiperf tutorials: the commands that run for minutes are taken as they are", () => {
  for (const entry of COMMANDS.filter((e) => e.long !== undefined && e.skip === undefined)) {
    const settings = resolveSettings(
      parseBenchArgs(benchArgs(entry.command, "http://127.0.0.1:9")),
    );
    assert(settings.profiling.durationMs !== undefined, `${entry.id} runs for a duration`);
  }
});

/** The outcome of one command: its status, output and what it wrote. */
interface Outcome {
  readonly status: number;
  readonly stderr: string;
  readonly dirs: readonly string[];
  readonly cwd: string;
}

// The bench's environment, without the INIT_CWD `deno task test` set: `deno task bench` keeps an
// INIT_CWD it inherits, and the user's own shell has none.
function childEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  return { ...env, NO_COLOR: "1" };
}

async function runCommand(entry: TutorialCommand, server: RunningServer): Promise<Outcome> {
  const cwd = await Deno.makeTempDir({ prefix: "plugmap-aiperf-tutorial-" });
  for (const [path, text] of Object.entries(entry.files ?? {})) {
    const full = `${cwd}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "--config",
      `${ROOT}deno.json`,
      "bench",
      ...benchArgs(entry.command, server.url),
    ],
    cwd,
    clearEnv: true,
    env: childEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dirs: string[] = [];
  try {
    for await (const dir of Deno.readDir(`${cwd}/artifacts`)) dirs.push(dir.name);
  } catch {
    // no artifacts/ (checked by the test)
  }
  return {
    status: output.code,
    stderr: new TextDecoder().decode(output.stderr),
    dirs,
    cwd,
  };
}

// The commands run a few at a time (many only wait: rates, turn delays, durations), each test
// waiting for its own; the server is shared and closed after the last.
const RUN = COMMANDS.filter((entry) => entry.skip === undefined && entry.long === undefined);
const PARALLEL = 4;
let started: Map<string, Promise<Outcome>> | undefined;
let server: RunningServer | undefined;

function outcomeOf(id: string): Promise<Outcome> {
  if (started === undefined) {
    const pending = new Map(RUN.map((e) => [e.id, Promise.withResolvers<Outcome>()]));
    started = new Map([...pending].map(([id, p]) => [id, p.promise]));
    const queue = [...RUN];
    const serverReady = startServer({ ttftMs: 1, itlMs: 0, outputTokens: 16 });
    const worker = async () => {
      const running = await serverReady;
      server = running;
      for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
        const p = pending.get(entry.id)!;
        await runCommand(entry, running).then(p.resolve, p.reject);
      }
    };
    for (let i = 0; i < PARALLEL; i++) worker();
  }
  return started.get(id)!;
}

for (const [index, entry] of RUN.entries()) {
  Deno.test({
    name: `aiperf tutorials: ${entry.id} runs unchanged`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      try {
        const outcome = await outcomeOf(entry.id);
        try {
          await check(entry, outcome);
        } finally {
          await Deno.remove(outcome.cwd, { recursive: true });
        }
      } finally {
        if (index === RUN.length - 1) {
          await Promise.allSettled(started!.values());
          await server?.close();
        }
      }
    },
  });
}

async function check(entry: TutorialCommand, outcome: Outcome): Promise<void> {
  const tail = outcome.stderr.slice(-3000);
  assertEquals(outcome.status, 0, `${entry.id} (${entry.page}):\n${tail}`);
  assertEquals(outcome.dirs.length, 1, `one directory under artifacts/: ${outcome.dirs}`);
  const top = `${outcome.cwd}/artifacts/${outcome.dirs[0]}`;
  const model = shellWords(entry.command).find((_, i, w) => ["--model", "-m"].includes(w[i - 1]!));
  assert(outcome.dirs[0]!.startsWith(`${model!.replaceAll("/", "_")}-openai-`), outcome.dirs[0]);
  if (entry.runs === undefined) return await checkRun(entry, top);
  for (
    const name of ["profile_export_aiperf_aggregate.json", "profile_export_aiperf_aggregate.csv"]
  ) {
    assert((await Deno.stat(`${top}/aggregate/${name}`)).isFile, name);
  }
  for (let i = 1; i <= entry.runs; i++) {
    await checkRun(entry, `${top}/profile_runs/run_${String(i).padStart(4, "0")}`);
  }
}

// One run's files: AIPerf's four (and those in `writes`), the records the command asks for.
async function checkRun(entry: TutorialCommand, dir: string): Promise<void> {
  for (const name of ["profile_export_aiperf.csv", "inputs.json", ...entry.writes ?? []]) {
    assert((await Deno.stat(`${dir}/${name}`)).isFile, name);
  }
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/profile_export_aiperf.json`));
  const lines = (await Deno.readTextFile(`${dir}/profile_export.jsonl`)).split("\n")
    .filter((line) => line !== "");
  const records = lines.map((line) => JSON.parse(line));
  const counted = summary.request_count.avg + (summary.error_request_count?.avg ?? 0);
  assertEquals(counted, records.length, "the summary counts every record");
  assert(records.every((r) => r.metadata.benchmark_phase === "profiling"));
  if (entry.requests !== undefined) assertEquals(records.length, entry.requests, entry.id);
  else assert(records.length >= entry.min_requests!, `${records.length} records`);
}
