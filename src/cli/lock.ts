import { SourceError } from "../../mod.ts";
import { createLock, lockPathFor, writeLock } from "../../src/trust/mod.ts";
import {
  arity,
  CliFailure,
  COMMON_OPTIONS_HELP,
  MAP_OPTIONS,
  MAP_OPTIONS_HELP,
  parseCommand,
  UsageError,
} from "./_args.ts";
import { renderDiagnostics } from "./_diagnostics.ts";
import { type Io, paint, table } from "./_io.ts";
import { hasErrors, json } from "./_json.ts";
import { openWorkspace } from "./_workspace.ts";

/** `plugins lock --help`. */
export const LOCK_HELP = `Usage: plugins lock [options]

Pin every plugin of the plugin map in plugins.lock.json beside it: the manifest URL it resolved
to (a jsr: range resolved to the exact version), the SHA-256 of the manifest, and the SHA-256 of
every module its "class" specifiers point at on the network (fetched, never run). The plugins
are read afresh: an existing lock is replaced, not consulted. Once the lock exists, every
command verifies against it; --frozen also refuses plugins it does not list.

Options:${MAP_OPTIONS_HELP}${COMMON_OPTIONS_HELP}

Exit status: 0 written; 1 when a plugin cannot be read (nothing is written) or discovery found
other errors (the lock is written).
`;

/**
 * `plugins lock`.
 *
 * @param args The arguments after `lock`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function lockCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand("lock", args, MAP_OPTIONS, LOCK_HELP, io);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  arity("lock", positionals, 0, 0, "");
  if (values.frozen) throw new UsageError("lock", "--frozen does not apply to lock");
  const { registry, map } = await openWorkspace("lock", values, io.cwd, undefined, {
    lock: false,
    integrity: true,
  });
  const file = lockPathFor(map.url);
  const diagnostics = registry.diagnostics;
  const unreadable = registry.plugins().filter((p) => !p.builtin && p.status === "broken");
  if (unreadable.length > 0) {
    const names = unreadable.map((p) => `"${p.name}"`).join(", ");
    const message = `Not locked: ${names} cannot be read; fix ${
      unreadable.length === 1 ? "it" : "them"
    } (or remove ${unreadable.length === 1 ? "it" : "them"} from the map) and run again`;
    if (values.json) {
      io.out(json({ error: { code: "not_locked", message }, diagnostics }));
    } else {
      io.err(renderDiagnostics(diagnostics, io.colorErr));
      const p = paint(io.colorErr);
      io.err(`${p.red(p.bold("error"))}: ${message}\n`);
    }
    return 1;
  }
  let lock;
  try {
    lock = await createLock(registry);
  } catch (error) {
    if (error instanceof SourceError) throw new CliFailure("unreachable", error.message);
    throw error;
  }
  await writeLock(file, lock);
  if (values.json) {
    io.out(json({ lock: file.href, plugins: lock.plugins, diagnostics }));
    return hasErrors(diagnostics) ? 1 : 0;
  }
  const p = paint(io.colorOut);
  const rows = Object.entries(lock.plugins).sort(([a], [b]) => a.localeCompare(b)).map((
    [name, pin],
  ) => [
    p.bold(name),
    pin.jsrVersion ?? "-",
    String(Object.keys(pin.modules).length),
    pin.url,
  ]);
  io.out(
    `Wrote ${file.href}\n` +
      (rows.length === 0
        ? "No plugins to lock\n"
        : table([["PLUGIN", "JSR VERSION", "MODULES", "MANIFEST"].map(p.dim), ...rows])),
  );
  if (diagnostics.length > 0) io.err(renderDiagnostics(diagnostics, io.colorErr));
  return hasErrors(diagnostics) ? 1 : 0;
}
