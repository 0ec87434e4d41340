import { type Lock, verifyModule } from "../trust/mod.ts";
import type { SourceLimits } from "../sources/mod.ts";
import { missingPermissionFlags } from "./_permissions.ts";
import { checkedModuleUrl } from "./_checked_module_url.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import type { Implementation } from "./types.ts";

/**
 * Where plugin code is imported, and the only place: the permissions it declares are checked
 * first (a refusal names the flags to add), a locked network module is hashed against the lock
 * and imported from the bytes that were hashed (never fetched again), then the export looked up.
 */
export async function importCode(
  implementation: Implementation,
  lock: Lock | undefined,
  limits: Partial<SourceLimits> | undefined,
): Promise<unknown> {
  const { module: url, exportName, qualifiedName } = implementation;
  const fail = (code: PluginLoadError["code"], reason: string, cause?: unknown) =>
    new PluginLoadError({
      code,
      implementation: qualifiedName,
      module: url,
      reason,
      ...(cause !== undefined ? { cause } : {}),
    });
  // Refuse up front, naming the flags, rather than fail somewhere inside the plugin.
  const missing = await missingPermissionFlags(implementation.permissions);
  if (missing.length > 0) {
    throw fail("refused", `It needs permissions this process lacks: run with ${missing.join(" ")}`);
  }
  let from = url;
  if (!implementation.builtin && lock !== undefined) {
    const verdict = await verifyModule(lock, implementation.plugin, url, {
      ...(limits ? { limits } : {}),
    });
    if (!verdict.ok) {
      throw fail(
        verdict.code === "refused" ? "refused" : "import_failed",
        verdict.reason,
        verdict.cause,
      );
    }
    // The bytes checked are the bytes run: importing the URL would fetch it again (or take
    // Deno's cached copy), and a server can answer that second request with other code.
    if (verdict.checked !== undefined) {
      const checked = checkedModuleUrl(url, verdict.checked);
      if ("refused" in checked) throw fail("refused", checked.refused);
      from = checked.url;
    }
  }
  let module: Record<string, unknown>;
  try {
    module = await import(from);
  } catch (error) {
    // A module imported from its checked bytes is named by its URL, not by a long data: URL.
    const message = (error as Error).message?.split("\n")[0] ?? String(error);
    throw fail("import_failed", message.replaceAll(from, url), error);
  }
  if (!(exportName in module)) {
    const exports = Object.keys(module).sort();
    throw fail(
      "export_missing",
      `The module has no export "${exportName}"; it exports: ${exports.join(", ") || "nothing"}`,
    );
  }
  return module[exportName];
}
