// Makes sure the browser the report tests drive is here: `$CHROMIUM`, else Debian's
// /usr/bin/chromium. On a fresh Debian machine run as root (CI), installs Debian's `chromium`
// package; anywhere else, says how to get one and fails, so `deno task test` never half-runs.
// The path rule is the one tests/bench/_browser.ts uses.

import { aptInstall, canApt, exists } from "./_debian_package.ts";

const chosen = Deno.env.get("CHROMIUM");
const path = chosen ?? "/usr/bin/chromium";

if (!await exists(path)) {
  // Installing only helps when the Debian path is the one asked for.
  if (chosen !== undefined || !await canApt()) {
    console.error(
      `No Chromium at ${path}; the report tests open report.html in a real browser. ` +
        `Install it (Debian: "apt-get install -y chromium") or set CHROMIUM to a Chromium binary.`,
    );
    Deno.exit(1);
  }
  console.error("Installing chromium from the Debian packages (the report tests drive it)");
  await aptInstall(["chromium"]);
}
