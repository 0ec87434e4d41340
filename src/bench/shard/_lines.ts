// Newline-delimited JSON over a TCP connection: the coordinator's wire format. One message a
// line; a reader hands each parsed message to `onMessage`, and `onClose` once at the end.

/** A message between shards and the coordinator. */
export type Message = { readonly type: string } & Readonly<Record<string, unknown>>;

/** One end of a connection. */
export interface LineConn {
  /** Sends one message (ignored once the connection is closed). */
  send(message: Message): void;
  /** Closes the connection. */
  close(): void;
}

const encoder = new TextEncoder();

/** Starts reading `conn`; returns the sending end. */
export function lineConn(
  conn: Deno.Conn,
  onMessage: (message: Message) => void,
  onClose: () => void,
): LineConn {
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const writer = conn.writable.getWriter();
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const bytes of conn.readable) {
        buffer += decoder.decode(bytes, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim() === "") continue;
          let message: Message;
          try {
            message = JSON.parse(line);
          } catch {
            continue; // not one of ours: ignored
          }
          if (typeof message?.type === "string") onMessage(message);
        }
      }
    } catch { /* reset by the peer: same as closed */ }
    open = false;
    onClose();
  })();
  return {
    send(message) {
      if (!open) return;
      const bytes = encoder.encode(JSON.stringify(message) + "\n");
      writer.write(bytes).catch(() => {});
    },
    close,
  };
}

/** Milliseconds since the epoch, to the microsecond this process's clock gives. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
