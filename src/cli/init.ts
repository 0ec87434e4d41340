import { arity, CliFailure, COMMON_OPTIONS_HELP, parseCommand, UsageError } from "./_args.ts";
import type { Io } from "./_io.ts";
import { json } from "./_json.ts";
import { scaffoldFiles } from "./_templates.ts";
import { PLUGMAP_VERSION } from "./_version.ts";
import { toUrl } from "../../src/sources/mod.ts";

/** `plugins init --help`. */
export const INIT_HELP = `Usage: plugins init DIR [options]

Create a new plugin in DIR: registry.yaml (with the schema line), one implementation module, a
test that loads the manifest through plugmap, a deno.json ready for "deno publish", a README.

Options:
  --name NAME           The plugin's name (default: DIR's last path segment)
  --package @SCOPE/NAME The JSR package name (default: @you/NAME)
  --category NAME       The category of its implementation (default: example)
  --implementation NAME The implementation's name (default: hello)
  --plugmap SPECIFIER   Where the test imports plugmap from
                        (default: jsr:@plugmap/plugmap@^${PLUGMAP_VERSION})${COMMON_OPTIONS_HELP}

Exit status: 0, 1 when a file to create already exists, 2 on a usage error.
`;

const CHECKOUT = new URL("../../", import.meta.url);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `plugins init DIR`.
 *
 * @param args The arguments after `init`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function initCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand(
    "init",
    args,
    {
      name: { type: "string" },
      package: { type: "string" },
      category: { type: "string" },
      implementation: { type: "string" },
      plugmap: { type: "string" },
    },
    INIT_HELP,
    io,
  );
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  arity("init", positionals, 1, 1, "DIR");
  const dir = toUrl(positionals[0]!.replace(/\/*$/, "/"), io.cwd);
  const base = decodeURIComponent(dir.pathname.split("/").filter(Boolean).at(-1) ?? "plugin");
  const name = values.name ??
    base.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[^a-z]+/, "");
  const category = values.category ?? "example";
  const implementation = values.implementation ?? "hello";
  for (
    const [flag, value] of [["--name", name], ["--category", category], [
      "--implementation",
      implementation,
    ]]
  ) {
    if (!IDENTIFIER.test(value!)) {
      throw new UsageError("init", `Invalid ${flag} "${value}": expected an identifier`);
    }
  }
  const pkg = values.package ?? `@you/${name.replaceAll("_", "-")}`;
  if (!/^@[a-z0-9-]+\/[a-z0-9-]+$/.test(pkg)) {
    throw new UsageError("init", `Invalid --package "${pkg}": expected @scope/name in lower case`);
  }
  const files = await scaffoldFiles({
    plugin: name,
    package: pkg,
    category,
    implementation,
    plugmap: values.plugmap ?? `jsr:@plugmap/plugmap@^${PLUGMAP_VERSION}`,
    // Run from a checkout, the default JSR import is linked to it: the tests need no network.
    checkout: values.plugmap === undefined && CHECKOUT.protocol === "file:"
      ? decodeURIComponent(CHECKOUT.pathname).replace(/\/$/, "")
      : undefined,
  });
  const paths = Object.keys(files).map((file) => new URL(file, dir));
  for (const path of paths) {
    try {
      await Deno.lstat(path);
      throw new CliFailure("exists", `Cannot create "${path.pathname}": it already exists`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  await Deno.mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await Deno.writeTextFile(new URL(file, dir), text, { createNew: true });
  }
  if (values.json) {
    io.out(json({ directory: dir.pathname, files: Object.keys(files) }));
  } else {
    io.out(
      `Created plugin "${name}" in ${dir.pathname}:\n${
        Object.keys(files).map((f) => `  ${f}\n`).join("")
      }Next: cd ${positionals[0]} && deno task test\n`,
    );
  }
  return 0;
}
