import type { RegistryOptions } from "./types.ts";

const KNOWN = new Set([
  "host",
  "categories",
  "builtins",
  "plugins",
  "strict",
  "env",
  "jsrUrl",
  "limits",
  "lock",
  "frozen",
  "cacheDir",
  "integrity",
  "snapshot",
  "loadTimeoutMs",
]);

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return `string ${JSON.stringify(value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${value}`;
    case "bigint":
      return `bigint ${value}n`;
    case "function":
      return "a function";
    default: // undefined, symbol
      return typeof value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isPath = (value: unknown) => typeof value === "string" || value instanceof URL;

/**
 * The registry options, checked at run time: TypeScript checks them for a TypeScript host, but
 * a JavaScript host (or options read from a file) gets a sentence naming the option instead of
 * `Cannot read properties of undefined` deep inside discovery.
 *
 * @throws {TypeError} An option is missing or of the wrong type.
 */
export function checkOptions(options: unknown): asserts options is RegistryOptions {
  const problems: string[] = [];
  if (!isObject(options)) {
    throw new TypeError(
      `Cannot create registry: expected an options object but received ${kind(options)}`,
    );
  }
  const { host, categories } = options;
  if (!isObject(host)) {
    problems.push(`"host" must be an object { name, version } but received ${kind(host)}`);
  } else {
    if (typeof host["name"] !== "string" || host["name"] === "") {
      problems.push(`"host.name" must be a non-empty string but received ${kind(host["name"])}`);
    }
    if (typeof host["version"] !== "string") {
      problems.push(`"host.version" must be a semver string but received ${kind(host["version"])}`);
    }
    if (host["versions"] !== undefined && !isObject(host["versions"])) {
      problems.push(`"host.versions" must be an object of name to version`);
    }
  }
  if (categories !== "declared") {
    if (!isObject(categories)) {
      problems.push(
        `"categories" must be an object of category definitions, or "declared", but received ${
          kind(categories)
        }`,
      );
    } else {
      for (const [name, definition] of Object.entries(categories)) {
        if (!isObject(definition) || typeof definition["description"] !== "string") {
          problems.push(`"categories.${name}" must be an object with a "description" string`);
          continue;
        }
        for (const key of ["instance", "metadata"] as const) {
          const schema = definition[key];
          if (schema !== undefined && !(isObject(schema) || typeof schema === "function")) {
            problems.push(`"categories.${name}.${key}" must be a schema`);
          } else if (
            schema !== undefined && !isObject((schema as Record<string, unknown>)["~standard"])
          ) {
            problems.push(
              `"categories.${name}.${key}" must be a Standard Schema (valibot, zod, ArkType, ...)`,
            );
          }
        }
      }
    }
  }
  if (options["builtins"] !== undefined && !isPath(options["builtins"])) {
    problems.push(`"builtins" must be a path or URL but received ${kind(options["builtins"])}`);
  }
  const plugins = options["plugins"];
  if (
    plugins !== undefined && !isPath(plugins) &&
    !(isObject(plugins) && typeof plugins["url"] === "string" && Array.isArray(plugins["plugins"]))
  ) {
    problems.push(
      `"plugins" must be a plugin map (from parsePluginMap or loadPluginMap), or the path or URL of a document, but received ${
        kind(plugins)
      }`,
    );
  }
  for (const key of ["strict", "frozen", "integrity", "snapshot"]) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") {
      problems.push(`"${key}" must be true or false but received ${kind(options[key])}`);
    }
  }
  if (options["cacheDir"] !== undefined && !isPath(options["cacheDir"])) {
    problems.push(`"cacheDir" must be a path or URL but received ${kind(options["cacheDir"])}`);
  }
  if (options["jsrUrl"] !== undefined && typeof options["jsrUrl"] !== "string") {
    problems.push(`"jsrUrl" must be a URL string but received ${kind(options["jsrUrl"])}`);
  }
  const timeout = options["loadTimeoutMs"];
  if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0)) {
    problems.push(
      `"loadTimeoutMs" must be a positive number of milliseconds (Infinity for none) but received ${
        kind(timeout)
      }`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) problems.push(`unknown option "${key}"`);
  }
  if (problems.length > 0) {
    throw new TypeError(`Cannot create registry: ${problems.join("; ")}`);
  }
}
