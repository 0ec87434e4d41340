// The one place the "sha256-<hex>" format is built; lock files, the cache and JSR use it.

type Hash = (bytes: Uint8Array) => string;
let loading: Promise<Hash> | undefined;

/**
 * A synchronous `sha256-<hex>` hasher, node:crypto's: for the many small inputs of a discovery
 * (a thousand 1.3 KB manifests) it takes about 2 µs each, against 10 to 70 µs for
 * `crypto.subtle.digest` and its round trip through a promise. node:crypto is imported on first
 * use: loading it costs a start-up about 15 ms, which a second run that hashes nothing one by
 * one should not pay.
 */
export function integrityHasher(): Promise<Hash> {
  return loading ??= import("node:crypto").then(({ createHash }) => (bytes: Uint8Array) =>
    `sha256-${createHash("sha256").update(bytes).digest("hex")}`
  );
}

/** The `sha256-<64 hex digits>` integrity of some bytes. */
export async function integrityOf(bytes: Uint8Array): Promise<string> {
  return (await integrityHasher())(bytes);
}

/**
 * The `sha256-<hex>` of one large input (a whole index snapshot's key or body): Web Crypto, one
 * call, no node:crypto to load.
 */
export async function integrityOfLarge(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return `sha256-${hex}`;
}

/** Whether `text` is an integrity in the format {@link integrityOf} builds. */
export function isIntegrity(text: string): boolean {
  return /^sha256-[0-9a-f]{64}$/.test(text);
}
