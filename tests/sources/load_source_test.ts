import { equal, ok, rejects } from "node:assert/strict";
import { SourceError } from "../../mod.ts";
import { loadSource, resolveJsr } from "../../src/sources/mod.ts";
import { fakeJsr, serve } from "../_helpers/server.ts";

const manifest = "plugin: {name: hooks, version: 1.2.0}\nphase_hook:\n  log: ./log.ts#Log\n";

Deno.test("loopback http: text, final URL after redirects, integrity", async () => {
  await using server = serve({
    "/registry.yaml": manifest,
    "/moved": () => new Response(null, { status: 302, headers: { location: "/registry.yaml" } }),
  });
  const source = await loadSource(new URL(`${server.url}/moved`));
  equal(source.text, manifest);
  equal(source.url, `${server.origin}/registry.yaml`);
  ok(source.integrity?.startsWith("sha256-"));
});

Deno.test("http errors are typed: 404, 500, too large by header", async () => {
  await using server = serve({
    "/500": () => new Response("boom", { status: 500 }),
    "/big": () => new Response("x".repeat(2048)),
  });
  await rejects(
    loadSource(new URL(`${server.url}/nothing.yaml`)),
    (e: unknown) => e instanceof SourceError && e.code === "not_found",
  );
  await rejects(
    loadSource(new URL(`${server.url}/500`)),
    (e: unknown) =>
      e instanceof SourceError && e.code === "http_error" && e.message.includes("HTTP 500"),
  );
  await rejects(
    loadSource(new URL(`${server.url}/big`), { limits: { maxBytes: 1024 } }),
    (e: unknown) => e instanceof SourceError && e.code === "too_large",
  );
});

Deno.test("an unreachable server is a network error", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await rejects(
    loadSource(new URL(`http://127.0.0.1:${port}/registry.yaml`)),
    (e: unknown) => e instanceof SourceError && e.code === "network",
  );
});

Deno.test("jsr: resolves the highest non-yanked version in range and verifies JSR's checksum", async () => {
  await using server = serve();
  await fakeJsr(server, "@acme/hooks", {
    "1.0.0": { files: { "registry.yaml": manifest.replace("1.2.0", "1.0.0") } },
    "1.2.0": { files: { "registry.yaml": manifest } },
    "1.3.0": { files: { "registry.yaml": "yanked" }, yanked: true },
    "2.0.0": { files: { "registry.yaml": "too new" } },
  });
  const source = await loadSource(new URL("jsr:@acme/hooks@^1/registry.yaml"), {
    jsrUrl: server.url,
  });
  equal(source.jsr?.version, "1.2.0");
  equal(source.url, `${server.url}/@acme/hooks/1.2.0/registry.yaml`);
  equal(source.text, manifest);

  server.routes.set("/@acme/hooks/1.2.0/registry.yaml", manifest + "# tampered\n");
  await rejects(
    loadSource(new URL("jsr:@acme/hooks@^1/registry.yaml"), { jsrUrl: server.url }),
    (e: unknown) =>
      e instanceof SourceError && e.code === "checksum_mismatch" &&
      e.message.includes("expected sha256-"),
  );
  await rejects(
    resolveJsr("jsr:@acme/hooks@^3/registry.yaml", { jsrUrl: server.url }),
    (e: unknown) =>
      e instanceof SourceError && e.code === "jsr_version" &&
      e.message.includes("available: 1.0.0, 1.2.0, 2.0.0"),
  );
  await rejects(
    resolveJsr("jsr:@acme/hooks@^1/missing.yaml", { jsrUrl: server.url }),
    (e: unknown) => e instanceof SourceError && e.code === "not_found",
  );
  await rejects(
    resolveJsr("jsr:acme", { jsrUrl: server.url }),
    (e: unknown) => e instanceof SourceError && e.code === "unsupported_specifier",
  );
});

Deno.test("local files: missing, directory, unsupported scheme", async () => {
  const dir = await Deno.makeTempDir();
  await rejects(
    loadSource(new URL(`file://${dir}/none.yaml`)),
    (e: unknown) => e instanceof SourceError && e.code === "not_found",
  );
  await rejects(loadSource(new URL(`file://${dir}`)), (e: unknown) => e instanceof SourceError);
  await rejects(
    loadSource(new URL("ftp://127.0.0.1/x.yaml")),
    (e: unknown) => e instanceof SourceError && e.code === "unsupported_specifier",
  );
});
