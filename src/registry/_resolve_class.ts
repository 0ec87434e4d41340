import { isLoopback } from "../sources/core.ts";

const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** Where an implementation's code is, or why its `class` may not be used. */
export type ResolvedClass =
  | { module: string; exportName: string }
  | { error: string; code: "invalid_class" | "insecure_class" | "class_outside_package" };

/**
 * Resolves a `class` specifier (`./hooks.ts#Export`) against its manifest's URL, under the
 * security policy: relative, `file:`, `https:`, `jsr:` or `npm:` only; a manifest fetched over
 * the network may not reach back to the disk; plain `http:` only to loopback hosts; a relative
 * specifier of a `jsr:` manifest stays inside its package version (`packageRoot`).
 */
export function resolveClass(
  cls: string,
  manifestUrl: string,
  packageRoot?: string,
): ResolvedClass {
  const hash = cls.lastIndexOf("#");
  const specifier = hash >= 0 ? cls.slice(0, hash) : cls;
  const exportName = hash >= 0 ? cls.slice(hash + 1) : "default";
  if (!EXPORT_NAME.test(exportName)) {
    return { code: "invalid_class", error: `Invalid export name "${exportName}" in "${cls}"` };
  }
  let module: URL;
  if (/^\.{0,2}\//.test(specifier)) {
    try {
      module = new URL(specifier, manifestUrl);
    } catch {
      return {
        code: "invalid_class",
        error: `Cannot resolve "${specifier}" against "${manifestUrl}"`,
      };
    }
    // Checked on the resolved URL, so "%2e%2e/" and the like are caught as "../" is.
    if (packageRoot !== undefined && !module.href.startsWith(packageRoot)) {
      return {
        code: "class_outside_package",
        error: `"${specifier}" leaves the package the manifest was published in ` +
          `("${packageRoot}"): a jsr: manifest's class must be a file of its own package ` +
          `(or an explicit jsr: specifier)`,
      };
    }
  } else if (/^(file|https?|jsr|npm):/.test(specifier)) {
    module = new URL(specifier);
  } else {
    return {
      code: "invalid_class",
      error:
        `Cannot resolve "${specifier}": a class specifier must be relative (./module.ts), or a file:, https:, jsr: or npm: URL`,
    };
  }
  if (/^https?:/.test(manifestUrl) && module.protocol === "file:") {
    return {
      code: "insecure_class",
      error:
        `A manifest fetched over the network may not point "class" at a local file ("${module.href}")`,
    };
  }
  if (module.protocol === "http:" && !isLoopback(module)) {
    return {
      code: "insecure_class",
      error: `Plain http is allowed only for loopback hosts ("${module.href}")`,
    };
  }
  return { module: module.href, exportName };
}
