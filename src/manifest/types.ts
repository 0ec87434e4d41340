/**
 * The public types of the manifest format. The valibot schemas in `schema.ts` are the source
 * of truth; these explicit types exist because JSR needs explicit types on a package's public
 * API ("no slow types"), and `parseManifest` builds them from the schemas' output, so the
 * compiler checks that they agree (tests/manifest/types_test.ts checks both directions).
 *
 * @module
 */

/** A config field's declared type. */
export type ConfigFieldType = "string" | "integer" | "number" | "boolean" | "list" | "object";

/** One field of an implementation's `config_schema`, defaults applied. */
export interface ConfigField {
  /** The value type. */
  type: ConfigFieldType;
  /** Whether a value must be given (by config, env var or default). */
  required: boolean;
  /** The value used when none is given. */
  default?: unknown;
  /** What the field is for. */
  description?: string | undefined;
  /** An environment variable read when the config has no value. */
  env_var?: string | undefined;
}

/** Requirements, normalised: name to semver range. */
export type Requirements = Record<string, string>;

/** A manifest's `plugin:` section, normalised. */
export interface PluginInfo {
  /** The plugin's package name. */
  name?: string | undefined;
  /** Its semver version. */
  version?: string | undefined;
  /** What it does. */
  description?: string | undefined;
  /** Who wrote it. */
  author?: string | undefined;
  /** Its licence (SPDX). */
  license?: string | undefined;
  /** Its home page URL. */
  homepage?: string | undefined;
  /** The host, plugins or components it needs, with version ranges. */
  requires: Requirements;
  /** `false` disables the whole plugin. */
  enabled: boolean;
}

/**
 * The Deno permissions an implementation's code needs: each kind `true` (unrestricted) or a
 * list of net hosts, read/write paths, env var names or commands.
 */
export interface Permissions {
  /** Hosts (`host` or `host:port`) it connects to. */
  net?: true | string[] | undefined;
  /** Paths it reads. */
  read?: true | string[] | undefined;
  /** Paths it writes. */
  write?: true | string[] | undefined;
  /** Environment variables it reads. */
  env?: true | string[] | undefined;
  /** Commands it runs. */
  run?: true | string[] | undefined;
}

/** One implementation as declared by a manifest, normalised (shorthand expanded). */
export interface ImplementationDeclaration {
  /** ESM specifier plus `#ExportName` (no `#`: the default export). */
  class: string;
  /** What it does. */
  description: string;
  /** Its config fields. */
  config_schema: Record<string, ConfigField>;
  /** `false` hides it. */
  enabled: boolean;
  /** Higher wins among plugins providing the same name. */
  priority: number;
  /** Free-form data for the host, checked against the category's metadata schema. */
  metadata: Record<string, unknown>;
  /** Its own requirements. */
  requires: Requirements;
  /** The Deno permissions its code needs, checked before it is imported. */
  permissions?: Permissions | undefined;
}

/** A parsed, validated and normalised manifest. */
export interface Manifest {
  /** The URL the manifest was read from (relative `class` specifiers resolve against it). */
  url: string;
  /** The `plugin:` section (an empty one when the manifest has none). */
  plugin: PluginInfo;
  /** Category name to implementation name to declaration, in document order. */
  categories: Record<string, Record<string, ImplementationDeclaration>>;
}
