/**
 * Imports a module when a run first needs it, out of sight of Deno's module graph. Deno follows
 * a literal `import("./x.ts")` when the program starts, and resolves every npm package below it
 * (about 10 ms for the YAML parser, schema library and semver of a miss), even in a run that
 * never calls it; a specifier built at run time is resolved only when imported. One call site
 * for the library, so `deno publish` warns about one unanalyzable import, not each.
 *
 * @param url The module, built from the caller's `import.meta.url`.
 * @returns The module; the caller names its type (`typeof import("./x.ts")`).
 */
export function importLazily<T>(url: URL): Promise<T> {
  return import(url.href);
}
