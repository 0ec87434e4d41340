// The one place the "sha256-<hex>" format is built; lock files, the cache and JSR use it.

/** The `sha256-<64 hex digits>` integrity of some bytes. */
export async function integrityOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return `sha256-${hex}`;
}

/** Whether `text` is an integrity in the format {@link integrityOf} builds. */
export function isIntegrity(text: string): boolean {
  return /^sha256-[0-9a-f]{64}$/.test(text);
}
