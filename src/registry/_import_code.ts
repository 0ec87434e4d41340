import { type Lock, verifyModule } from "../trust/mod.ts";
import type { SourceLimits } from "../sources/mod.ts";
import { missingPermissionFlags } from "./_permissions.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import type { Implementation } from "./types.ts";

/**
 * Where plugin code is imported, and the only place: the permissions it declares are checked
 * first (a refusal names the flags to add), a locked network module is hashed against the lock,
 * then the module is imported and the export looked up.
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
  // Deno then imports the same URL, possibly from its own module cache: the bytes checked are
  // not the bytes handed to import (the README says so).
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
  }
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    throw fail("import_failed", (error as Error).message?.split("\n")[0] ?? String(error), error);
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
