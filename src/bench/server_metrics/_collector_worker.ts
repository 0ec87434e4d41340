// The collector in a Worker: scrapes and parsing run off the thread that sends the load. The
// host sends { id, op } messages (start, phaseStart, phaseEnd, close); each gets { id, value }.

/// <reference lib="deno.worker" />

import { CollectorHost, type HostRequest } from "./_collector_host.ts";

const host = new CollectorHost("worker", (warning) => self.postMessage({ warning }));
self.onmessage = async (event: MessageEvent<HostRequest & { id: number }>) => {
  const { id, ...request } = event.data;
  try {
    self.postMessage({ id, value: await host.handle(request) });
  } catch (error) {
    self.postMessage({ id, error: String((error as Error)?.message ?? error) });
  }
};
