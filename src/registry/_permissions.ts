import type { Permissions } from "../manifest/mod.ts";

const KINDS = ["net", "read", "write", "env", "run"] as const;

function descriptor(kind: typeof KINDS[number], item?: string): Deno.PermissionDescriptor {
  switch (kind) {
    case "net":
      return item === undefined ? { name: "net" } : { name: "net", host: item };
    case "read":
    case "write":
      return item === undefined ? { name: kind } : { name: kind, path: item };
    case "env":
      return item === undefined ? { name: "env" } : { name: "env", variable: item };
    case "run":
      return item === undefined ? { name: "run" } : { name: "run", command: item };
  }
}

/**
 * The `--allow-*` flags missing for an implementation's declared permissions: empty when every
 * one is granted. A permission that would prompt counts as missing: plugin code must not stop
 * the host at a prompt.
 */
export async function missingPermissionFlags(
  permissions: Readonly<Permissions>,
): Promise<string[]> {
  const flags: string[] = [];
  for (const kind of KINDS) {
    const wanted = permissions[kind];
    if (wanted === undefined) continue;
    if (wanted === true) {
      if ((await Deno.permissions.query(descriptor(kind))).state !== "granted") {
        flags.push(`--allow-${kind}`);
      }
      continue;
    }
    const missing: string[] = [];
    for (const item of wanted) {
      if ((await Deno.permissions.query(descriptor(kind, item))).state !== "granted") {
        missing.push(item);
      }
    }
    if (missing.length > 0) flags.push(`--allow-${kind}=${missing.join(",")}`);
  }
  return flags;
}
