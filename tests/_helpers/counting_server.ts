/**
 * A raw HTTP/1.1 server on 127.0.0.1 that counts TCP connections: each answer closes its
 * connection, so `maxOpen` is the most connections a client held open at once. Answers
 * `/p<N>/registry.yaml` with a one-implementation manifest after `delayMs`; anything else 404.
 */

/** A running counting server. */
export interface CountingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Connections open now. */
  readonly open: number;
  /** The most connections open at once. */
  readonly maxOpen: number;
  /** Manifests answered. */
  readonly served: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const encoder = new TextEncoder();

function answer(path: string): string {
  const match = /^\/p(\d+)\/registry\.yaml$/.exec(path);
  const [status, body] = match === null ? ["404 Not Found", "not found"] : [
    "200 OK",
    `plugin: {name: p${match[1]}, version: 1.0.0}\nphase_hook:\n  h${match[1]}: ./hook.ts#Hook\n`,
  ];
  return `HTTP/1.1 ${status}\r\ncontent-type: text/yaml\r\ncontent-length: ${
    encoder.encode(body).length
  }\r\nconnection: close\r\n\r\n${body}`;
}

/** Starts the server on a free port. */
export function countingServer(options: { delayMs?: number; port?: number } = {}): CountingServer {
  const delayMs = options.delayMs ?? 20;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: options.port ?? 0 });
  const connections = new Set<Deno.Conn>();
  const state = { open: 0, maxOpen: 0, served: 0 };
  const handle = async (conn: Deno.Conn) => {
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    connections.add(conn);
    try {
      const buffer = new Uint8Array(8192);
      let head = "";
      while (!head.includes("\r\n\r\n")) {
        const n = await conn.read(buffer);
        if (n === null) return;
        head += new TextDecoder().decode(buffer.subarray(0, n));
      }
      const path = head.split(" ")[1] ?? "/";
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (path.endsWith("/registry.yaml")) state.served++;
      const bytes = encoder.encode(answer(path));
      for (let written = 0; written < bytes.length;) {
        written += await conn.write(bytes.subarray(written));
      }
    } catch {
      // A client that went away.
    } finally {
      connections.delete(conn);
      state.open--;
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) void handle(conn);
    } catch {
      // Closed.
    }
  })();
  const close = async () => {
    listener.close();
    for (const conn of connections) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    await accepting;
  };
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    get open() {
      return state.open;
    },
    get maxOpen() {
      return state.maxOpen;
    },
    get served() {
      return state.served;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
