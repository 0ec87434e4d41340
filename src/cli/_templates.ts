import { MANIFEST_SCHEMA_ID } from "../../src/manifest/mod.ts";
import { loadSource } from "../../src/sources/mod.ts";
import { PLUGMAP_VERSION } from "./_version.ts";

/** What `init` fills into its templates. */
export interface Scaffold {
  /** The plugin's name in its manifest (`plugin.name`). */
  plugin: string;
  /** The JSR package name, `@scope/name`. */
  package: string;
  /** The category of the one implementation. */
  category: string;
  /** The implementation's name. */
  implementation: string;
  /** Where the plugin's test imports plugmap from. */
  plugmap: string;
  /** A plugmap checkout the plugin links (deno.json `"links"`), so its tests run offline. */
  checkout?: string | undefined;
}

function pascal(name: string): string {
  return name.split(/[_-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

/** The files of a new plugin, path to text, from the templates beside this module. */
export async function scaffoldFiles(s: Scaffold): Promise<Record<string, string>> {
  const cls = pascal(s.implementation) || "Plugin";
  const module = `${s.implementation.replaceAll("-", "_")}.ts`;
  const test = module.replace(/\.ts$/, "_test.ts");
  const fill = (text: string) =>
    text.replaceAll('"../../../mod.ts"', '"@plugmap/plugmap"')
      .replaceAll('"./plugin.ts"', `"./${module}"`)
      .replaceAll("__SCHEMA__", MANIFEST_SCHEMA_ID)
      .replaceAll("__ENV__", `${s.plugin.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_GREETING`)
      .replaceAll("__MAP_NAME__", s.plugin.replace(/^@.*\//, ""))
      .replaceAll("__PACKAGE__", s.package)
      .replaceAll("__CATEGORY__", s.category)
      .replaceAll("__MODULE__", module)
      .replaceAll("__Class__", cls)
      .replaceAll("__PLUGIN__", s.plugin)
      .replaceAll("__NAME__", s.implementation);
  const [registry, source, testSource, readme] = await Promise.all(
    ["registry.yaml", "plugin.ts", "plugin_check.ts", "README.md"].map(template),
  );
  return {
    "registry.yaml": fill(registry!),
    [module]: fill(source!),
    [test]: fill(testSource!),
    "deno.json": JSON.stringify(denoJson(s, module), null, 2) + "\n",
    "README.md": fill(readme!),
  };
}

// A template's text: a file in a checkout, fetched (https:) when the package came from JSR. The
// templates are real files (plugin.ts and plugin_check.ts type-check with the package); the
// test is not named *_test.ts so that this repository's suite does not run it.
async function template(name: string): Promise<string> {
  return (await loadSource(new URL(`./templates/${name}`, import.meta.url))).text;
}

function denoJson(s: Scaffold, module: string): Record<string, unknown> {
  return {
    name: s.package,
    version: "0.1.0",
    license: "MIT",
    exports: { ".": `./${module}` },
    imports: { "@plugmap/plugmap": s.plugmap },
    ...(s.checkout === undefined ? {} : { links: [s.checkout] }),
    tasks: {
      test: "deno test --allow-read",
      validate:
        `deno run -A jsr:@plugmap/plugmap@^${PLUGMAP_VERSION}/cli validate registry.yaml --imports`,
    },
    publish: { exclude: ["*_test.ts"] },
    fmt: { proseWrap: "preserve" },
  };
}
