/** A plugin name: a package-like name, optionally scoped (`slo`, `@acme/hooks`). */
export const PLUGIN_NAME: RegExp = /^@?[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)?$/;

/** Names that would reach an object's prototype when used as keys: refused everywhere. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

/** Whether `name` may name a plugin (in a plugin map or a manifest's `plugin.name`). */
export function isPluginName(name: string): boolean {
  return PLUGIN_NAME.test(name) && !RESERVED_NAMES.has(name);
}
