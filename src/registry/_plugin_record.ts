import type { Manifest } from "../manifest/mod.ts";
import type { Source } from "../sources/mod.ts";
import type { Lock } from "../trust/mod.ts";
import type { Diagnostic } from "./diagnostic.ts";
import type { Candidate, CategoryDefinition, PluginSummary } from "./types.ts";

/**
 * A candidate with its plugin's position in precedence order (built-ins first, then map
 * order). Until precedence runs, `selected` means usable; the name index and the qualified
 * index hold the same objects.
 */
export interface RankedCandidate extends Candidate {
  order: number;
}

/** One plugin (or the host's built-ins) as it goes through discovery, filled stage by stage. */
export interface PluginRecord {
  name: string;
  specifier: string;
  builtin: boolean;
  /** Its position in precedence order: 0 for the built-ins, then map order. */
  order: number;
  /** The manifest URL once resolved (the specifier until then). */
  url: string;
  status: PluginSummary["status"];
  /** Load: the manifest text. */
  source?: Source;
  /** Load: a local manifest's bytes, not decoded until a stage needs its text. */
  bytes?: Uint8Array;
  jsrVersion?: string;
  /** For a `jsr:` manifest: its package version's root URL, which `class` may not leave. */
  packageRoot?: string;
  /** Parse: the validated manifest. */
  manifest?: Manifest;
  /** Candidates: one per implementation the manifest declares in a known category. */
  candidates: RankedCandidate[];
  /** What each stage found wrong with this plugin. */
  diagnostics: Diagnostic[];
}

/** category -> name -> candidates (best first, once precedence has run). */
export type NameIndex = Map<string, Map<string, RankedCandidate[]>>;
/** category -> qualified name -> the same candidate as in the name index. */
export type QualifiedIndex = Map<string, Map<string, RankedCandidate>>;

/** Everything discovery produced: an immutable snapshot the registry swaps on reload. */
export interface Snapshot {
  plugins: PluginSummary[];
  diagnostics: Diagnostic[];
  /** The categories in force: the host's, or the ones the manifests declare. */
  categories: Record<string, CategoryDefinition>;
  index: NameIndex;
  qualified: QualifiedIndex;
  /** The lock discovery verified against, for checking modules before import. */
  lock?: Lock | undefined;
}
