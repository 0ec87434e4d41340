// Numbers appended to a temporary file, 8 bytes each, a block at a time, and read back in
// blocks: what lets a counted column give exact percentiles without keeping its values in memory.
// The files are removed when the process ends (the `unload` event; a SIGKILL leaves them in the
// system's temporary directory, named plugmap-values-*).

const BLOCK = 4096;
const open = new Set<string>();
let cleanup = false;

/** A temporary file of 8-byte numbers. */
export class SpillFile {
  readonly #path: string;
  readonly #buffer = new Float64Array(BLOCK);
  #used = 0;
  #intact = true;

  private constructor(path: string) {
    this.#path = path;
  }

  /**
   * A new file, or undefined when writing is not permitted (no prompt is ever shown) or the file
   * cannot be made.
   */
  static open(): SpillFile | undefined {
    try {
      if (Deno.permissions.querySync({ name: "write" }).state !== "granted") return undefined;
      const path = Deno.makeTempFileSync({ prefix: "plugmap-values-" });
      open.add(path);
      if (!cleanup) {
        cleanup = true;
        globalThis.addEventListener("unload", () => {
          for (const p of open) {
            try {
              Deno.removeSync(p);
            } catch {
              // Already gone.
            }
          }
        });
      }
      return new SpillFile(path);
    } catch {
      return undefined;
    }
  }

  /** False once a write failed: the file no longer holds every value. */
  get intact(): boolean {
    return this.#intact;
  }

  /** Appends `value`. */
  push(value: number): void {
    if (!this.#intact) return;
    this.#buffer[this.#used++] = value;
    if (this.#used === BLOCK) this.#flush();
  }

  /**
   * Every value pushed, in order, a block at a time (each block is reused: read it before the next).
   *
   * @throws {Deno.errors.NotFound} and other I/O errors when the file cannot be read.
   */
  *blocks(): Generator<Float64Array> {
    this.#flush();
    if (!this.#intact) throw new Error(`${this.#path} does not hold every value`);
    const file = Deno.openSync(this.#path, { read: true });
    try {
      const bytes = new Uint8Array(BLOCK * 8 * 16);
      for (;;) {
        let filled = 0;
        while (filled < bytes.length) {
          const n = file.readSync(bytes.subarray(filled));
          if (n === null) break;
          filled += n;
        }
        if (filled % 8 !== 0) throw new Error(`${this.#path} ends inside a value`);
        if (filled > 0) yield new Float64Array(bytes.buffer, 0, filled / 8);
        if (filled < bytes.length) return;
      }
    } finally {
      file.close();
    }
  }

  #flush(): void {
    if (this.#used === 0 || !this.#intact) return;
    try {
      const bytes = new Uint8Array(this.#buffer.buffer, 0, this.#used * 8);
      Deno.writeFileSync(this.#path, bytes, { append: true });
    } catch {
      this.#intact = false;
    }
    this.#used = 0;
  }
}
