// Makes sure the browser the report tests drive is here: `$CHROMIUM`, else Debian's
// /usr/bin/chromium. On a fresh Debian machine run as root (CI), installs Debian's `chromium`
// package; anywhere else, says how to get one and fails, so `deno task test` never half-runs.
// The path rule is the one tests/bench/_browser.ts uses.

const chosen = Deno.env.get("CHROMIUM");
const path = chosen ?? "/usr/bin/chromium";

async function exists(file: string): Promise<boolean> {
  try {
    return (await Deno.stat(file)).isFile;
  } catch {
    return false;
  }
}

async function run(command: string, args: string[]): Promise<void> {
  const { code } = await new Deno.Command(command, {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    throw new Error(`Cannot install chromium: "${command} ${args.join(" ")}" exited ${code}`);
  }
}

if (!await exists(path)) {
  // Installing only helps when the Debian path is the one asked for.
  const canApt = chosen === undefined && Deno.uid() === 0 && await exists("/usr/bin/apt-get");
  if (!canApt) {
    console.error(
      `No Chromium at ${path}; the report tests open report.html in a real browser. ` +
        `Install it (Debian: "apt-get install -y chromium") or set CHROMIUM to a Chromium binary.`,
    );
    Deno.exit(1);
  }
  console.error("Installing chromium from the Debian packages (the report tests drive it)");
  await run("apt-get", ["update"]);
  await run("apt-get", ["install", "-y", "chromium"]);
}
