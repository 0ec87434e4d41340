// Runs the embedded server inside a Worker, so it has a thread (and a core) of its own and the
// benchmark's client does not share an event loop with it.

/// <reference lib="deno.worker" />

import { type RunningServer, type ServerOptions, startServer } from "./start_server.ts";

let server: RunningServer | undefined;

self.onmessage = async (
  event: MessageEvent<{ type: "start"; options: ServerOptions } | { type: "close" }>,
) => {
  const message = event.data;
  if (message.type === "start") {
    try {
      server = await startServer(message.options);
      self.postMessage({ type: "ready", url: server.url });
    } catch (error) {
      self.postMessage({ type: "error", message: (error as Error).message });
    }
  } else {
    await server?.close();
    self.postMessage({ type: "closed" });
    self.close();
  }
};
