import { BenchConfigError } from "../config/bench_config_error.ts";

/** What {@linkcode renderK8s} renders. */
export interface K8sOptions {
  /** The name of every object (and the pods' host name prefix): a DNS label, at most 50 chars. */
  readonly name: string;
  /** How many shards (pods): the Indexed Job's completions and parallelism. */
  readonly shards: number;
  /** The container image (built from the rendered Containerfile). */
  readonly image: string;
  /** The coordinator's port on shard 0's pod; default 7878. */
  readonly port?: number;
  /** The namespace, if not the current one. */
  readonly namespace?: string;
  /** The bench flags every shard runs (no `--shard`, `--coordinator` or `--output`). */
  readonly benchArgs: readonly string[];
  /** The benchmark file's text (mounted as `/etc/plugmap/benchmark.yaml`), if any. */
  readonly benchmarkFile?: string;
  /** The plugin lock's text (`plugins.lock.json` beside the benchmark file), if any. */
  readonly lock?: string;
  /** The results volume's size; default `1Gi`. */
  readonly storage?: string;
  /** The results volume's storage class (one that offers ReadWriteMany), if not the default. */
  readonly storageClass?: string;
}

/** The rendered objects, ready to be written as YAML. */
export interface K8sManifests {
  /** ConfigMap, headless Service, results PersistentVolumeClaim and Indexed Job, in that order. */
  readonly run: readonly Record<string, unknown>[];
  /** The merge step: a Job to apply once the Indexed Job has completed. */
  readonly merge: Record<string, unknown>;
  /** The container build file for the image. */
  readonly containerfile: string;
}

/** Where the ConfigMap and the results volume are mounted in every pod. */
export const K8S_PATHS = { files: "/etc/plugmap", results: "/results" } as const;

/**
 * Renders the Kubernetes objects of a sharded benchmark: a ConfigMap with the benchmark file
 * (its plugin map inside) and the plugin lock; a headless Service whose name gives shard 0's pod
 * a stable DNS name (`NAME-0.NAME`), the coordinator's default; a ReadWriteMany volume for
 * `OUTPUT/shard-I/`; an Indexed Job (`completionMode: Indexed`, `completions` = `parallelism` =
 * shards, `backoffLimitPerIndex: 0`: a shard that fails is not retried, so it cannot rerun a
 * part of the schedule, pods spread over nodes by a topology spread constraint) whose pods run
 * `bench --shard auto` with `BENCH_SHARD_COUNT` (with the lock, `--frozen`: every pod loads the
 * same plugin bytes); a merge Job (`bench:report --merge`); and a Containerfile.
 *
 * @param options What to render.
 * @returns The objects.
 * @throws {BenchConfigError} For a name that is not a DNS label, a shard count below 1, or bench
 * flags that the manifests set themselves.
 *
 * @example
 * ```ts
 * import { renderK8s } from "./render_k8s.ts";
 *
 * const { run } = renderK8s({
 *   name: "bench", shards: 4, image: "plugmap-bench:1", benchArgs: ["--request-rate", "100"],
 * });
 * const job = run.at(-1) as { spec: { completions: number; parallelism: number } };
 * if (job.spec.completions !== 4 || job.spec.parallelism !== 4) throw new Error("wrong");
 * ```
 */
export function renderK8s(options: K8sOptions): K8sManifests {
  const { name, shards } = options;
  const port = options.port ?? 7878;
  if (!/^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$/.test(name)) {
    throw new BenchConfigError(
      `expected a DNS label of at most 50 characters (a-z, 0-9, "-"), got "${name}"`,
      { flag: "--name" },
    );
  }
  if (!Number.isInteger(shards) || shards < 1) {
    throw new BenchConfigError(`expected a positive integer, got ${shards}`, { flag: "--shards" });
  }
  for (const flag of ["--shard", "--coordinator", "--output", "--artifact-dir", "--config"]) {
    if (options.benchArgs.some((a) => a === flag || a.startsWith(`${flag}=`))) {
      throw new BenchConfigError(`is set by the manifests; leave it out of the bench flags`, {
        flag,
      });
    }
  }
  const files: Record<string, string> = {};
  if (options.benchmarkFile !== undefined) files["benchmark.yaml"] = options.benchmarkFile;
  if (options.lock !== undefined) files["plugins.lock.json"] = options.lock;
  const run = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(options, "-files"), data: files },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(options),
      spec: {
        clusterIP: "None",
        // Shard 0 must be found before it is "ready": the others connect while it starts.
        publishNotReadyAddresses: true,
        selector: labels(name, "shard"),
        ports: [{ name: "coordinator", port, targetPort: port }],
      },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta(options, "-results"),
      spec: {
        accessModes: ["ReadWriteMany"],
        ...(options.storageClass === undefined ? {} : { storageClassName: options.storageClass }),
        resources: { requests: { storage: options.storage ?? "1Gi" } },
      },
    },
    indexedJob(options, port),
  ];
  return { run, merge: mergeJob(options), containerfile: CONTAINERFILE };
}

function meta(options: K8sOptions, suffix = ""): Record<string, unknown> {
  return {
    name: options.name + suffix,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    labels: {
      "app.kubernetes.io/name": options.name,
      "app.kubernetes.io/part-of": "plugmap-bench",
    },
  };
}

function labels(name: string, component: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/component": component };
}

function resultsVolume(name: string) {
  return { name: "results", persistentVolumeClaim: { claimName: `${name}-results` } };
}

// The Indexed Job of the shards.
function indexedJob(options: K8sOptions, port: number): Record<string, unknown> {
  const { name, shards } = options;
  const benchFlags = [
    ...(options.benchmarkFile === undefined
      ? []
      : ["--config", `${K8S_PATHS.files}/benchmark.yaml`]),
    ...(options.lock === undefined ? [] : ["--frozen"]),
    ...options.benchArgs,
  ];
  const shardLabels = labels(name, "shard");
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(options),
    spec: {
      completionMode: "Indexed",
      completions: shards,
      parallelism: shards,
      // No retries: a retried shard would send its part of the schedule a second time.
      backoffLimitPerIndex: 0,
      template: {
        metadata: { labels: shardLabels },
        spec: {
          // Pods of an Indexed Job are named NAME-I; with the headless Service as subdomain,
          // shard 0 answers at NAME-0.NAME.
          subdomain: name,
          restartPolicy: "Never",
          topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: shardLabels },
          }],
          containers: [{
            name: "bench",
            image: options.image,
            args: [
              "bench",
              "--shard",
              "auto",
              "--coordinator",
              `${name}-0.${name}:${port}`,
              ...benchFlags,
              "--no-progress",
              "--output",
              K8S_PATHS.results,
            ],
            env: [{ name: "BENCH_SHARD_COUNT", value: String(shards) }],
            ports: [{ name: "coordinator", containerPort: port }],
            volumeMounts: [
              { name: "files", mountPath: K8S_PATHS.files, readOnly: true },
              { name: "results", mountPath: K8S_PATHS.results },
            ],
          }],
          volumes: [
            { name: "files", configMap: { name: `${name}-files` } },
            resultsVolume(name),
          ],
        },
      },
    },
  };
}

// The merge step: once every shard is done, bench:report --merge on the results volume.
function mergeJob(options: K8sOptions): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(options, "-merge"),
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: labels(options.name, "merge") },
        spec: {
          restartPolicy: "Never",
          containers: [{
            name: "merge",
            image: options.image,
            args: ["bench:report", "--merge", K8S_PATHS.results],
            volumeMounts: [{ name: "results", mountPath: K8S_PATHS.results }],
          }],
          volumes: [resultsVolume(options.name)],
        },
      },
    },
  };
}

const CONTAINERFILE =
  `# The image of a sharded benchmark (deno task bench:k8s). Build it from the repository root:
#   podman build -f k8s/Containerfile -t IMAGE .   (or docker build)
# and push it where the cluster pulls from. Dependencies are cached at build time from
# deno.lock (--frozen), so every pod runs the same code.
ARG DENO_VERSION=2.9.6
FROM docker.io/denoland/deno:\${DENO_VERSION}
WORKDIR /app
COPY deno.json deno.lock mod.ts ./
COPY src/ src/
RUN deno cache --frozen src/bench/main.ts src/bench/report_main.ts
ENTRYPOINT ["deno", "task", "-q"]
CMD ["bench", "--help"]
`;
