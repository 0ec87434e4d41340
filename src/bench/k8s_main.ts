/**
 * `deno task bench:k8s --shards N [options] [bench flags]`: writes the Kubernetes manifests of a
 * sharded benchmark (see docs/scaling.md). Run with `--help` for the usage.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as yaml from "./_deps/js_yaml.ts";
import { writeOutputFile } from "./_write_output_file.ts";
import { BenchConfigError } from "./config/bench_config_error.ts";
import { parseBenchArgs } from "./config/parse_bench_args.ts";
import { renderK8s } from "./shard/render_k8s.ts";

/** The `--help` text of `deno task bench:k8s`. */
export const K8S_HELP = `Usage: deno task bench:k8s --shards N [options] [bench flags]

Writes the Kubernetes manifests of one benchmark run by N client pods (docs/scaling.md):
  DIR/bench.yaml      ConfigMap (the --config benchmark file and plugins.lock.json beside
                      it), headless Service, results volume (ReadWriteMany) and the
                      Indexed Job of N shards (no retries per index, spread over nodes)
  DIR/merge.yaml      the merge step (bench:report --merge), once the Job has completed
  DIR/Containerfile   the image every pod runs
Bench flags are checked now and passed to every shard (not --shard, --coordinator or
--output: the manifests set them). With a lock beside the benchmark file, shards run
with --frozen.

Options:
  --shards N            how many shards (pods); required
  --image IMAGE         the image built from DIR/Containerfile (default plugmap-bench:latest)
  --name NAME           name of every object (default plugmap-bench)
  --namespace NS        namespace of every object (default: kubectl's current one)
  --port PORT           the coordinator's port on shard 0 (default 7878)
  --storage SIZE        size of the results volume (default 1Gi)
  --storage-class NAME  a storage class with ReadWriteMany volumes
  --manifests DIR       where to write (default k8s)
  -h, --help            show this help

Exit status: 0 written, 2 bad flags.
`;

const OWN = {
  shards: { type: "string" },
  image: { type: "string" },
  name: { type: "string" },
  namespace: { type: "string" },
  port: { type: "string" },
  storage: { type: "string" },
  "storage-class": { type: "string" },
  manifests: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Where `k8sMain` writes. */
export interface K8sIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const encoder = new TextEncoder();

/**
 * Runs `deno task bench:k8s` with `argv` and returns the exit status.
 *
 * @param argv The arguments.
 * @param io Where to write; the process's standard streams by default.
 * @returns 0 (written) or 2 (bad flags).
 *
 * @example
 * ```ts
 * import { k8sMain } from "./k8s_main.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const status = await k8sMain(["--shards", "3", "--manifests", dir, "--request-rate", "50"], {
 *   stdout: () => {}, stderr: () => {},
 * });
 * const text = await Deno.readTextFile(`${dir}/bench.yaml`);
 * await Deno.remove(dir, { recursive: true });
 * if (status !== 0 || !text.includes("completionMode: Indexed")) throw new Error(text);
 * ```
 */
export async function k8sMain(
  argv: readonly string[],
  io: K8sIO = {
    stdout: (t) => void Deno.stdout.writeSync(encoder.encode(t)),
    stderr: (t) => void Deno.stderr.writeSync(encoder.encode(t)),
  },
): Promise<number> {
  try {
    const { own, bench } = split(argv);
    if (own.help) {
      io.stdout(K8S_HELP);
      return 0;
    }
    const args = parseBenchArgs(bench); // typos fail here, not in N pods
    const config = args.config;
    const rest = withoutConfig(bench);
    const text = config === undefined ? undefined : await readInput(config, "--config");
    const lockPath = config === undefined
      ? undefined
      : join(dirname(resolve(config)), "plugins.lock.json");
    const lock = lockPath === undefined ? undefined : await readOptional(lockPath);
    const shards = Number(own.shards);
    if (own.shards === undefined) throw new BenchConfigError("is required", { flag: "--shards" });
    const port = own.port === undefined ? undefined : Number(own.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new BenchConfigError(`expected a port, got "${own.port}"`, { flag: "--port" });
    }
    const manifests = renderK8s({
      name: own.name ?? "plugmap-bench",
      shards,
      image: own.image ?? "plugmap-bench:latest",
      benchArgs: rest,
      ...(port === undefined ? {} : { port }),
      ...(own.namespace === undefined ? {} : { namespace: own.namespace }),
      ...(text === undefined ? {} : { benchmarkFile: text }),
      ...(lock === undefined ? {} : { lock }),
      ...(own.storage === undefined ? {} : { storage: own.storage }),
      ...(own["storage-class"] === undefined ? {} : { storageClass: own["storage-class"] }),
    });
    const dir = own.manifests ?? "k8s";
    const dump = (objects: readonly unknown[]) =>
      objects.map((o) => yaml.dump(o, { lineWidth: 100, noRefs: true })).join("---\n");
    const written = [
      await writeOutputFile(join(dir, "bench.yaml"), dump(manifests.run)),
      await writeOutputFile(join(dir, "merge.yaml"), dump([manifests.merge])),
      await writeOutputFile(join(dir, "Containerfile"), manifests.containerfile),
    ];
    for (const path of written) io.stdout(`Wrote ${path}\n`);
    if (lock !== undefined) io.stdout(`Included ${lockPath} (shards run with --frozen)\n`);
    return 0;
  } catch (error) {
    if (error instanceof BenchConfigError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

// This command's own flags, and the bench flags (everything else, in order).
function split(argv: readonly string[]) {
  const own: string[] = [];
  const bench: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.replace(/^--?/, "").split("=")[0]!;
    const known = arg.startsWith("-") && (name in OWN || arg === "-h");
    if (!known) {
      bench.push(arg);
      continue;
    }
    own.push(arg);
    if (!arg.includes("=") && OWN[name as keyof typeof OWN]?.type === "string") {
      own.push(argv[++i] ?? "");
    }
  }
  const { values } = parseArgs({ args: own, options: OWN, strict: true });
  return { own: values, bench };
}

function withoutConfig(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--config") i++;
    else if (!argv[i]!.startsWith("--config=")) out.push(argv[i]!);
  }
  return out;
}

async function readInput(path: string, flag: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new BenchConfigError(`cannot read "${path}": ${(error as Error).message}`, { flag });
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

if (import.meta.main) {
  Deno.exit(await k8sMain(Deno.args));
}
