import {
  type Candidate,
  type Diagnostic,
  type Implementation,
  type PluginSummary,
  type Registry,
  UnknownImplementationError,
} from "../../mod.ts";

/** One config field, as `--json` prints it. */
export interface ConfigFieldJson {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  envVar?: string;
  description?: string;
}

/** One implementation, as `--json` prints it. */
export interface ImplementationJson {
  category: string;
  name: string;
  qualifiedName: string;
  plugin: string;
  pluginVersion: string | null;
  builtin: boolean;
  status: Candidate["status"];
  reason: string;
  class: string;
  module: string;
  exportName: string;
  description: string;
  config: ConfigFieldJson[];
  enabled: boolean;
  priority: number;
  requires: Record<string, string>;
  metadata: Record<string, unknown>;
  /** The declared Deno permissions: kind (`net`, `read`, `write`, `env`, `run`) to `true` or a list. */
  permissions: Record<string, true | string[]>;
  manifestUrl: string;
}

/** How an implementation fared in its name's resolution. */
export function statusOf(
  registry: Registry,
  implementation: Implementation,
): { status: Candidate["status"]; reason: string } {
  let candidates: readonly Candidate[] = [];
  try {
    candidates = registry.factory(implementation.category).explain(implementation.name).candidates;
  } catch (error) {
    // An implementation that never reached the index has no candidates.
    if (!(error instanceof UnknownImplementationError)) throw error;
  }
  const candidate = candidates
    .find((c) => c.implementation.qualifiedName === implementation.qualifiedName);
  return candidate
    ? { status: candidate.status, reason: candidate.reason }
    : { status: "broken", reason: "Not indexed" };
}

/** The config fields of an implementation, in declaration order. */
export function configFields(implementation: Implementation): ConfigFieldJson[] {
  return Object.entries(implementation.configSchema).map(([name, field]) => ({
    name,
    type: field.type,
    required: field.required,
    ...(field.default !== undefined ? { default: field.default } : {}),
    ...(field.env_var !== undefined ? { envVar: field.env_var } : {}),
    ...(field.description !== undefined ? { description: field.description } : {}),
  }));
}

/** An implementation for `--json`. */
export function implementationJson(
  registry: Registry,
  implementation: Implementation,
): ImplementationJson {
  const i = implementation;
  return {
    category: i.category,
    name: i.name,
    qualifiedName: i.qualifiedName,
    plugin: i.plugin,
    pluginVersion: i.pluginVersion ?? null,
    builtin: i.builtin,
    ...statusOf(registry, i),
    class: i.class,
    module: i.module,
    exportName: i.exportName,
    description: i.description,
    config: configFields(i),
    enabled: i.enabled,
    priority: i.priority,
    requires: { ...i.requires },
    metadata: { ...i.metadata },
    permissions: Object.fromEntries(
      Object.entries(i.permissions).flatMap(([kind, value]) =>
        value === undefined ? [] : [[kind, value === true ? true : [...value]]]
      ),
    ),
    manifestUrl: i.manifestUrl,
  };
}

/** One plugin, as `--json` prints it in `list`. */
export interface PluginJson {
  name: string;
  builtin: boolean;
  status: PluginSummary["status"];
  version: string | null;
  description: string | null;
  specifier: string;
  url: string;
  jsrVersion: string | null;
  integrity: string | null;
  /** Category to number of implementations. */
  implementations: Record<string, number>;
}

/** A plugin summary for `--json`. */
export function pluginJson(plugin: PluginSummary): PluginJson {
  const counts: Record<string, number> = {};
  for (const i of plugin.implementations) counts[i.category] = (counts[i.category] ?? 0) + 1;
  return {
    name: plugin.name,
    builtin: plugin.builtin,
    status: plugin.status,
    version: plugin.metadata.version ?? null,
    description: plugin.metadata.description ?? null,
    specifier: plugin.specifier,
    url: plugin.url,
    jsrVersion: plugin.jsrVersion ?? null,
    integrity: plugin.integrity ?? null,
    implementations: counts,
  };
}

/** Prints a JSON document (two-space indent, one trailing newline). */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Pick<Diagnostic, "severity">[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Declared permissions as the `--allow-*` flags they need (`-` for none). */
export function permissionFlags(permissions: Record<string, true | string[]>): string {
  return Object.entries(permissions)
    .map(([kind, value]) =>
      value === true ? `--allow-${kind}` : `--allow-${kind}=${value.join(",")}`
    )
    .join(" ") || "-";
}
