/** One plugin as pinned by a lock file. */
export interface LockedPlugin {
  /** The manifest specifier as written in the plugin map. */
  specifier: string;
  /** The manifest URL it resolved to (after redirects; `jsr:` ranges resolved). */
  url: string;
  /** The exact version a `jsr:` range resolved to. */
  jsrVersion?: string | undefined;
  /** `sha256-<hex>` of the manifest text's bytes. */
  manifest: string;
  /** Network module URL to `sha256-<hex>`, for every `class` that points at the network. */
  modules: Record<string, string>;
}

/** A lock file: format version and every pinned plugin by its plugin map name. */
export interface Lock {
  /** The lock format version (1). */
  version: 1;
  /** Plugin map name to its pins. */
  plugins: Record<string, LockedPlugin>;
}
