// What the ensure_* scripts share: whether a file is there, and installing a Debian package with
// apt-get when this is a Debian machine run as root (CI).

/** True when `file` is a file. */
export async function exists(file: string): Promise<boolean> {
  try {
    return (await Deno.stat(file)).isFile;
  } catch {
    return false;
  }
}

/** True when packages can be installed here: root, with apt-get. */
export async function canApt(): Promise<boolean> {
  return Deno.uid() === 0 && await exists("/usr/bin/apt-get");
}

/** `apt-get update`, then `apt-get install -y ...args`; throws naming the step that failed. */
export async function aptInstall(args: readonly string[]): Promise<void> {
  for (const step of [["update"], ["install", "-y", ...args]]) {
    const { code } = await new Deno.Command("apt-get", {
      args: step,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) throw new Error(`Cannot install: "apt-get ${step.join(" ")}" exited ${code}`);
  }
}
