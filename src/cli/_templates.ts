import { MANIFEST_SCHEMA_ID } from "../../src/manifest/mod.ts";
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

/** The files of a new plugin, path to text. */
export function scaffoldFiles(s: Scaffold): Record<string, string> {
  const cls = pascal(s.implementation) || "Plugin";
  const module = `${s.implementation.replaceAll("-", "_")}.ts`;
  const test = module.replace(/\.ts$/, "_test.ts");
  const cli = `jsr:@plugmap/plugmap@^${PLUGMAP_VERSION}/cli`;
  return {
    "registry.yaml": `# yaml-language-server: $schema=${MANIFEST_SCHEMA_ID}
plugin:
  name: ${s.plugin}
  version: 0.1.0
  description: What ${s.plugin} adds
  license: MIT
  requires:
    deno: ">=2.0.0"

${s.category}:
  ${s.implementation}:
    class: ./${module}#${cls}
    description: Greets whoever it is given
    config_schema:
      greeting:
        type: string
        default: Hello
        env_var: ${s.plugin.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_GREETING
        description: The word to greet with
`,
    [module]:
      `/** The config of {@link ${cls}}, as declared by its \`config_schema\` in registry.yaml. */
export interface ${cls}Config {
  /** The word to greet with. */
  greeting: string;
}

/**
 * The "${s.implementation}" implementation of the "${s.category}" category. The host creates it
 * with \`new ${cls}(config, context)\` the first time it is asked for.
 */
export class ${cls} {
  #greeting: string;

  /**
   * @param config The validated config (defaults applied).
   */
  constructor(config: ${cls}Config) {
    this.#greeting = config.greeting;
  }

  /**
   * Greets someone.
   *
   * @param name Whom to greet.
   * @returns The greeting.
   */
  run(name: string): string {
    return \`\${this.#greeting}, \${name}\`;
  }
}
`,
    [test]: `import { createRegistry, parsePluginMap } from "@plugmap/plugmap";
import { deepEqual, equal } from "node:assert/strict";
import { ${cls} } from "./${module}";

// Loads the manifest the way a host does: discovery, then a lazy import on create().
async function load() {
  return await createRegistry({
    host: { name: "test-host", version: "1.0.0" },
    categories: {
      ${s.category}: { description: "The category this plugin provides" },
    },
    plugins: parsePluginMap(
      { "${s.plugin}": "./registry.yaml" },
      { url: import.meta.url },
    ),
  });
}

Deno.test("registry.yaml is valid and declares ${s.implementation}", async () => {
  const registry = await load();
  deepEqual(registry.diagnostics, []);
  equal(registry.factory("${s.category}").list()[0]?.name, "${s.implementation}");
});

Deno.test("${s.implementation} is created through the registry with its config", async () => {
  const registry = await load();
  const plugin = await registry.factory<${cls}>("${s.category}").create("${s.implementation}", {
    greeting: "Hi",
  });
  equal(plugin.run("world"), "Hi, world");
});

Deno.test("${cls} uses the default greeting", () => {
  equal(new ${cls}({ greeting: "Hello" }).run("you"), "Hello, you");
});
`,
    "deno.json": `${
      JSON.stringify(
        {
          name: s.package,
          version: "0.1.0",
          license: "MIT",
          exports: { ".": `./${module}` },
          imports: { "@plugmap/plugmap": s.plugmap },
          ...(s.checkout === undefined ? {} : { links: [s.checkout] }),
          tasks: {
            test: "deno test --allow-read",
            validate: `deno run -A ${cli} validate registry.yaml --imports`,
          },
          publish: { exclude: ["*_test.ts"] },
          fmt: { proseWrap: "preserve" },
        },
        null,
        2,
      )
    }\n`,
    "README.md": `# ${s.plugin}

A [plugmap](https://jsr.io/@plugmap/plugmap) plugin. It provides the \`${s.implementation}\`
implementation of the \`${s.category}\` category, declared in [registry.yaml](./registry.yaml).

## Use it

Add its manifest to the plugin map of your application (the \`"plugins"\` object of its
deno.json, or of its own config file):

\`\`\`json
{
  "plugins": {
    "${s.plugin.replace(/^@.*\//, "")}": "jsr:${s.package}@^0.1/registry.yaml"
  }
}
\`\`\`

## Develop it

- \`deno task test\` loads registry.yaml through plugmap and creates the implementation.
- \`deno task validate\` checks the manifest and that every \`class\` export exists, without
  running the code.
- Change the package name (\`${s.package}\`) in deno.json to your JSR scope, then
  \`deno publish --dry-run\` and \`deno publish\`.
`,
  };
}
