/** Limits on fetching manifests. */
export interface SourceLimits {
  /** Time-out for one fetch, body included, in milliseconds. */
  timeoutMs: number;
  /** Largest manifest accepted, in bytes. */
  maxBytes: number;
  /** Most redirects followed for one fetch. */
  maxRedirects: number;
  /**
   * Most network fetches in flight at once, process-wide (manifests, maps, JSR metadata, module
   * checks): the others wait their turn, so a map of thousands of remote manifests does not open
   * thousands of sockets at once (the common open-file limit is 1,024). The time-out starts when
   * a fetch gets its turn.
   */
  maxConnections: number;
  /** Most network fetches in flight at once to one host (`host:port`). */
  maxConnectionsPerHost: number;
}

/**
 * The default source limits: 10 s, 1 MiB, 5 redirects, 128 fetches at once, 64 to one host.
 */
export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  maxConnections: 128,
  maxConnectionsPerHost: 64,
};
