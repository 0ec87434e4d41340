// Kubernetes: `bench:k8s` renders manifests that Kubernetes' published schemas accept
// (kubernetes-models), with the invariants a sharded run needs. No cluster runs here.
import { ConfigMap } from "npm:kubernetes-models@^5.1.0/v1/ConfigMap";
import { PersistentVolumeClaim } from "npm:kubernetes-models@^5.1.0/v1/PersistentVolumeClaim";
import { Service } from "npm:kubernetes-models@^5.1.0/v1/Service";
import { Job } from "npm:kubernetes-models@^5.1.0/batch/v1/Job";
import * as yaml from "js-yaml";
import { assert, assertEquals } from "../_assert.ts";
import { tempTree } from "../_helpers.ts";
import { k8sMain } from "../../../src/bench/k8s_main.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { resolveShard } from "../../../src/bench/shard/resolve_shard.ts";
import { coordinatorAddress } from "../../../src/bench/shard/coordinator_address.ts";

// deno-lint-ignore no-explicit-any
type Obj = Record<string, any>;

async function render(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await k8sMain(argv, { stdout: (t) => stdout += t, stderr: (t) => stderr += t });
  return { status, stdout, stderr };
}

function validate(object: Obj): void {
  const Model = { ConfigMap, Service, PersistentVolumeClaim, Job }[object.kind as string];
  assert(Model !== undefined, `unexpected kind ${object.kind}`);
  // Throws with the schema's path and reason when the object is not valid.
  new (Model as new (o: Obj) => { validate(): void })(object).validate();
}

Deno.test("bench:k8s: every object passes Kubernetes' schemas; the Indexed Job's invariants hold", async () => {
  const dir = await tempTree({
    "bench.yaml": "phases: { profiling: { request_count: 400 } }\n",
    "plugins.lock.json": '{"version": 1, "plugins": {}}\n',
  });
  const out = `${dir}/k8s`;
  const { status, stdout, stderr } = await render([
    "--shards",
    "5",
    "--name",
    "llm-bench",
    "--image",
    "reg.example/plugmap-bench:7",
    "--namespace",
    "perf",
    "--manifests",
    out,
    "--config",
    `${dir}/bench.yaml`,
    "--url",
    "http://vllm.perf.svc:8000",
    "--request-rate",
    "300",
    "--random-seed",
    "3",
  ]);
  assertEquals(status, 0, stderr);
  assert(stdout.includes("shards run with --frozen"), stdout);
  const run = yaml.loadAll(await Deno.readTextFile(`${out}/bench.yaml`)) as Obj[];
  const [merge] = yaml.loadAll(await Deno.readTextFile(`${out}/merge.yaml`)) as Obj[];
  for (const object of [...run, merge!]) validate(object);
  // The schemas do refuse a bad object: the check can fail.
  let refused = false;
  try {
    validate({ ...run[3]!, spec: { ...run[3]!.spec, completions: "5" } });
  } catch {
    refused = true;
  }
  assert(refused, 'an Indexed Job with completions: "5" passed the schema');
  assertEquals(run.map((o) => o.kind), ["ConfigMap", "Service", "PersistentVolumeClaim", "Job"]);
  const [configMap, service, claim, job] = run as [Obj, Obj, Obj, Obj];
  for (const o of [...run, merge!]) assertEquals(o.metadata.namespace, "perf");

  // The ConfigMap carries the benchmark file and the lock, byte for byte.
  assertEquals(configMap.data["benchmark.yaml"], await Deno.readTextFile(`${dir}/bench.yaml`));
  assertEquals(configMap.data["plugins.lock.json"], '{"version": 1, "plugins": {}}\n');

  // Indexed, N = completions = parallelism, no retries per index, spread over nodes.
  const spec = job.spec;
  assertEquals(spec.completionMode, "Indexed");
  assertEquals([spec.completions, spec.parallelism], [5, 5]);
  assertEquals(spec.backoffLimitPerIndex, 0);
  const pod = spec.template.spec;
  assertEquals(pod.restartPolicy, "Never");
  const spread = pod.topologySpreadConstraints[0];
  assertEquals(spread.topologyKey, "kubernetes.io/hostname");
  assertEquals(spread.labelSelector.matchLabels, spec.template.metadata.labels);

  // The headless Service is the pods' subdomain and selects them: NAME-0.NAME is shard 0.
  assertEquals(service.spec.clusterIP, "None");
  assertEquals(service.spec.publishNotReadyAddresses, true);
  assertEquals(pod.subdomain, service.metadata.name);
  assertEquals(service.spec.selector, spec.template.metadata.labels);
  const container = pod.containers[0];
  const args: string[] = container.args;
  const coordinator = args[args.indexOf("--coordinator") + 1]!;
  assertEquals(coordinator, `${job.metadata.name}-0.${service.metadata.name}:7878`);
  assertEquals(service.spec.ports[0].port, 7878);
  assertEquals(container.ports[0].containerPort, 7878);

  // Every pod: --shard auto with the count, the files and the shared results volume.
  assertEquals(args.slice(0, 3), ["bench", "--shard", "auto"]);
  assertEquals(container.env, [{ name: "BENCH_SHARD_COUNT", value: "5" }]);
  assert(args.includes("--frozen"));
  assertEquals(args[args.indexOf("--config") + 1], "/etc/plugmap/benchmark.yaml");
  assertEquals(args.at(-1), "/results");
  const volumes = Object.fromEntries(pod.volumes.map((v: Obj) => [v.name, v]));
  assertEquals(volumes.files.configMap.name, configMap.metadata.name);
  assertEquals(volumes.results.persistentVolumeClaim.claimName, claim.metadata.name);
  assertEquals(claim.spec.accessModes, ["ReadWriteMany"]);
  assertEquals(
    merge!.spec.template.spec.volumes[0].persistentVolumeClaim.claimName,
    claim.metadata.name,
  );
  assertEquals(merge!.spec.template.spec.containers[0].args, [
    "bench:report",
    "--merge",
    "/results",
  ]);

  // What the pod runs parses, and each pod knows who it is from what the Job gives it.
  const benchArgs = parseBenchArgs(args.slice(1));
  assertEquals(benchArgs.requestRate, 300);
  for (let index = 0; index < 5; index++) {
    const env = { JOB_COMPLETION_INDEX: String(index), BENCH_SHARD_COUNT: "5" };
    const shard = resolveShard(benchArgs.shard!, env);
    assertEquals([shard.index, shard.count], [index, 5]);
    const address = coordinatorAddress(benchArgs.coordinator, shard, env)!;
    assertEquals(address.hostname, "llm-bench-0.llm-bench");
  }
  const containerfile = await Deno.readTextFile(`${out}/Containerfile`);
  assert(containerfile.includes("deno cache --frozen"), containerfile);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bench:k8s: bad names, counts and flags the manifests set are refused (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  for (
    const [argv, message] of [
      [["--shards", "0"], "Invalid flag --shards: expected a positive integer"],
      [["--shards", "2", "--name", "Bench_1"], "Invalid flag --name: expected a DNS label"],
      [["--shards", "2", "--output", "x"], "Invalid flag --output: is set by the manifests"],
      [["--shards", "2", "--shard", "0/2"], "Invalid flag --shard: is set by the manifests"],
      [["--shards", "2", "--concurency", "4"], "--concurency"],
      [["--request-rate", "5"], "Invalid flag --shards: is required"],
    ] as const
  ) {
    const { status, stderr } = await render([...argv, "--manifests", dir]);
    assertEquals(status, 2, `${argv.join(" ")}: ${stderr}`);
    assert(stderr.includes(message), stderr);
  }
  await Deno.remove(dir, { recursive: true });
});
