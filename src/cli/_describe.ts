import { paint, table } from "./_io.ts";
import { type ImplementationJson, permissionFlags } from "./_json.ts";

function requirements(requires: Record<string, string>): string {
  return Object.entries(requires).map(([name, range]) => `${name} ${range}`).join(", ") || "-";
}

/** One implementation in full, for people. */
export function describeImplementation(i: ImplementationJson, color: boolean): string {
  const p = paint(color);
  const status = i.status === "selected" ? p.green(i.status) : p.yellow(i.status);
  const lines: string[][] = [
    ["status", `${status}: ${i.reason}`],
    ["class", i.class],
    ["module", i.module || "-"],
    ["export", i.exportName || "-"],
    [
      "plugin",
      `${i.plugin}${i.pluginVersion ? ` ${i.pluginVersion}` : ""}${i.builtin ? " (built-in)" : ""}`,
    ],
    ["manifest", i.manifestUrl],
    ["description", i.description || "-"],
    ["enabled", String(i.enabled)],
    ["priority", String(i.priority)],
    ["requires", requirements(i.requires)],
    ["permissions", permissionFlags(i.permissions)],
  ];
  if (Object.keys(i.metadata).length > 0) lines.push(["metadata", JSON.stringify(i.metadata)]);
  let text = `${p.bold(`${i.category} ${i.name}`)} ${p.dim(`(${i.qualifiedName})`)}\n`;
  text += table(lines.map(([k, v]) => [p.dim(`${k}:`), v!]), "  ");
  if (i.config.length === 0) return text + `  ${p.dim("config:")}      none\n`;
  text += `  ${p.dim("config:")}\n`;
  text += table([
    ["FIELD", "TYPE", "REQUIRED", "DEFAULT", "ENV VAR", "DESCRIPTION"].map(p.dim),
    ...i.config.map((f) => [
      f.name,
      f.type,
      f.required ? "yes" : "no",
      f.default === undefined ? "-" : JSON.stringify(f.default),
      f.envVar ?? "-",
      f.description ?? "",
    ]),
  ], "    ");
  return text;
}
