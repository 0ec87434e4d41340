/** Limits applied while reading a manifest's YAML. */
export interface YamlLimits {
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
  /** Most alias nodes (`*ref`) in one document. */
  maxAliases: number;
  /** Most nodes the document may have once its aliases are expanded ("billion laughs"). */
  maxNodes: number;
}

/** The default YAML limits: generous for any real manifest, fatal to a hostile one. */
export const DEFAULT_YAML_LIMITS: YamlLimits = { maxDepth: 64, maxAliases: 100, maxNodes: 100_000 };
