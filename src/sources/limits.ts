/** Limits on fetching manifests. */
export interface SourceLimits {
  /** Time-out for one fetch, body included, in milliseconds. */
  timeoutMs: number;
  /** Largest manifest accepted, in bytes. */
  maxBytes: number;
  /** Most redirects followed for one fetch. */
  maxRedirects: number;
}

/** The default source limits: 10 s, 1 MiB, 5 redirects. */
export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
};
