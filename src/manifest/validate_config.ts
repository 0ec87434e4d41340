import { matchesFieldType } from "./_field_type.ts";
import type { ConfigField, ConfigFieldType } from "./types.ts";
import { didYouMean } from "../_util/did_you_mean.ts";
import { ConfigError, type Issue } from "../config/mod.ts";

/** Reads an environment variable; `undefined` when unset. */
export type EnvReader = (name: string) => string | undefined;

/** Options for {@link validateConfig}. */
export interface ValidateConfigOptions {
  /** Where the config is for (`phase_hook/datadog`), for messages. */
  source?: string;
  /** Reads environment variables for `env_var` fallbacks and `${VAR}`. Default: `Deno.env`. */
  env?: EnvReader;
}

/** Reads `Deno.env`, turning a missing permission into a message that names the flag. */
function denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ConfigError({
        source: "environment",
        issues: [{
          path: name,
          message: `Reading $${name} needs --allow-env=${name}`,
        }],
      });
    }
    throw error;
  }
}

const INTERPOLATION = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function interpolate(
  value: unknown,
  path: string,
  env: EnvReader,
  issues: Issue[],
): unknown {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    return value.replace(INTERPOLATION, (whole, name: string | undefined) => {
      if (name === undefined) return "${"; // "$${" escapes a literal "${".
      const found = env(name);
      if (found === undefined) {
        issues.push({
          path,
          message: `Environment variable ${name} is not set (used as ${whole})`,
        });
        return "";
      }
      return found;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => interpolate(item, `${path}.${i}`, env, issues));
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: interpolate(item, `${path}.${key}`, env, issues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function fromEnv(type: ConfigFieldType, text: string): unknown {
  switch (type) {
    case "string":
      return text;
    case "integer":
    case "number": {
      const number = Number(text);
      return text.trim() === "" || Number.isNaN(number) ? text : number;
    }
    case "boolean":
      return /^(true|1|yes|on)$/i.test(text)
        ? true
        : /^(false|0|no|off)$/i.test(text)
        ? false
        : text;
    case "list":
      if (text.trim().startsWith("[")) {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      }
      return text.split(",").map((item) => item.trim()).filter(Boolean);
    case "object":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/**
 * Validates an implementation's config against its `config_schema`: unknown keys refused (with
 * a did-you-mean), `env_var` fallbacks, `${VAR}` interpolation in strings, defaults applied,
 * types checked, and every missing required key named together with its env var.
 *
 * @param fields The implementation's `config_schema`.
 * @param input The config given by the application (may be `undefined`).
 * @param options Where it is for, and how to read the environment.
 * @returns The complete config.
 * @throws {ConfigError} With every problem found.
 *
 * @example
 * ```ts
 * import { validateConfig } from "@plugmap/plugmap/manifest";
 * import { deepEqual, throws } from "node:assert/strict";
 *
 * const fields = {
 *   api_key: { type: "string", required: true, env_var: "API_KEY" },
 *   site: { type: "string", required: false, default: "datadoghq.com" },
 * } as const;
 * const env = (name: string) => ({ API_KEY: "k-123", REGION: "eu" } as Record<string, string>)[name];
 * deepEqual(validateConfig(fields, { site: "datadoghq.${REGION}" }, { env }), {
 *   api_key: "k-123",
 *   site: "datadoghq.eu",
 * });
 * throws(() => validateConfig(fields, { sit: "x" }, { env }), /did you mean "site"/);
 * ```
 */
export function validateConfig(
  fields: Readonly<Record<string, Readonly<ConfigField>>>,
  input: unknown,
  options: ValidateConfigOptions = {},
): Record<string, unknown> {
  const source = options.source ?? "config";
  const env = options.env ?? denoEnv;
  if (
    input !== undefined && input !== null && (typeof input !== "object" || Array.isArray(input))
  ) {
    throw new ConfigError({
      source,
      issues: [{
        message: `Expected a mapping but received ${describe(input)}`,
      }],
    });
  }
  const given = (input ?? {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const known = Object.keys(fields);
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(fields, key)) {
      issues.push({
        path: key,
        message: `Unknown config key${didYouMean(key, known)}; known keys: ${
          known.join(", ") || "none"
        }`,
      });
    }
  }
  const missing: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    let value = Object.hasOwn(given, key) ? given[key] : undefined;
    let from = "";
    if (value === undefined && field.env_var !== undefined) {
      const text = env(field.env_var);
      if (text !== undefined) {
        value = fromEnv(field.type, text);
        from = ` (from $${field.env_var})`;
      }
    }
    if (value === undefined && field.default !== undefined) value = structuredClone(field.default);
    if (value === undefined) {
      if (field.required) {
        missing.push(field.env_var ? `"${key}" (or set $${field.env_var})` : `"${key}"`);
      }
      continue;
    }
    value = interpolate(value, key, env, issues);
    if (!matchesFieldType(field.type, value)) {
      issues.push({
        path: key,
        message: `Expected ${field.type} but received ${describe(value)}${from}`,
      });
      continue;
    }
    config[key] = value;
  }
  if (missing.length > 0) {
    issues.push({
      message: `Missing required config ${missing.length > 1 ? "keys" : "key"} ${
        missing.join(", ")
      }`,
    });
  }
  if (issues.length > 0) throw new ConfigError({ source, issues });
  return config;
}
