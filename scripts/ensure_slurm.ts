// Makes sure a one-node Slurm cluster runs on this machine for the sharding test
// (tests/bench/shard/slurm_test.ts): as root, installs Debian's `slurm-wlm` and `munge` when
// missing, writes a munge key and a one-node slurm.conf, starts munged (as user munge),
// slurmctld and slurmd, and waits until `srun` runs a task. Not root: says the Slurm test will be
// skipped, and why, and exits 0 (the test says so again when it is skipped).
//
// Run by `deno task test` before the tests, like scripts/ensure_chromium.ts. Safe to run again:
// a cluster that already answers is left alone.

const CONF = "/etc/slurm/slurm.conf";
const MARK = "# Written by plugmap scripts/ensure_slurm.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function run(command: string, args: string[], quiet = false): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(command, {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdin: "null",
      stdout: quiet ? "null" : "inherit",
      stderr: quiet ? "null" : "inherit",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

async function output(command: string, args: string[]): Promise<string> {
  const { stdout } = await new Deno.Command(command, { args, stderr: "null" }).output();
  return new TextDecoder().decode(stdout).trim();
}

// A task runs: the cluster is up.
async function answers(): Promise<boolean> {
  return await exists("/usr/bin/srun") &&
    await run("timeout", ["20", "srun", "-n", "1", "--overcommit", "true"], true);
}

async function install(): Promise<void> {
  if (await exists("/usr/sbin/slurmctld") && await exists("/usr/sbin/munged")) return;
  console.error(
    "Installing slurm-wlm and munge from the Debian packages (the Slurm test runs them)",
  );
  const packages = ["install", "-y", "--no-install-recommends", "slurm-wlm", "munge"];
  if (!await run("apt-get", packages)) {
    await run("apt-get", ["update"]);
    if (!await run("apt-get", packages)) throw new Error("Cannot install slurm-wlm and munge");
  }
}

async function startMunge(): Promise<void> {
  if (await run("sh", ["-c", "munge -n | unmunge"], true)) return;
  const key = "/etc/munge/munge.key";
  if (!await exists(key)) {
    const bytes = crypto.getRandomValues(new Uint8Array(1024));
    await Deno.mkdir("/etc/munge", { recursive: true });
    await Deno.writeFile(key, bytes, { mode: 0o400 });
  }
  for (const dir of ["/etc/munge", "/var/lib/munge", "/var/log/munge", "/run/munge"]) {
    await Deno.mkdir(dir, { recursive: true });
    await run("chown", ["-R", "munge:munge", dir]);
  }
  await Deno.chmod(key, 0o400);
  if (!await run("runuser", ["-u", "munge", "--", "/usr/sbin/munged", "--force"])) {
    throw new Error("Cannot start munged (runuser -u munge -- /usr/sbin/munged)");
  }
}

async function configure(): Promise<void> {
  const host = await output("hostname", ["-s"]);
  const cpus = navigator.hardwareConcurrency;
  const conf = `${MARK}: a one-node cluster for the sharding test
ClusterName=plugmap
SlurmctldHost=${host}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=${host} CPUs=${cpus} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE
`;
  const current = await Deno.readTextFile(CONF).catch(() => undefined);
  if (current !== undefined && !current.startsWith(MARK)) {
    throw new Error(`${CONF} exists and was not written by this script: not touched`);
  }
  for (const dir of ["/etc/slurm", "/var/spool/slurmctld", "/var/spool/slurmd", "/var/log/slurm"]) {
    await Deno.mkdir(dir, { recursive: true });
  }
  if (current !== conf) await Deno.writeTextFile(CONF, conf);
}

async function startSlurm(): Promise<void> {
  if (
    !await run("scontrol", ["ping"], true) || !(await output("scontrol", ["ping"])).includes("UP")
  ) {
    if (!await run("/usr/sbin/slurmctld", [])) throw new Error("Cannot start slurmctld");
  }
  if (!await run("pgrep", ["-x", "slurmd"], true)) {
    if (!await run("/usr/sbin/slurmd", [])) throw new Error("Cannot start slurmd");
  }
  const host = await output("hostname", ["-s"]);
  for (let i = 0; i < 60; i++) {
    if (await answers()) return;
    // A node left DOWN by an earlier run comes back.
    await run("scontrol", ["update", `nodename=${host}`, "state=resume"], true);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(
    "Slurm started but srun runs no task; see /var/log/slurm/slurmctld.log and slurmd.log",
  );
}

if (Deno.uid() !== 0) {
  console.error(
    "Not root: no one-node Slurm cluster is started, so the Slurm sharding test will be skipped " +
      "(tests/bench/shard/slurm_test.ts says so when it runs)",
  );
} else if (!await answers()) {
  try {
    await install();
    await startMunge();
    await configure();
    await startSlurm();
    console.error("One-node Slurm cluster up (srun runs tasks)");
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
