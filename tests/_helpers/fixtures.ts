/** Temporary plugin trees for tests. */

/** Writes `files` (relative path -> text) under a new temporary directory. */
export async function tree(
  files: Record<string, string>,
): Promise<{ dir: string; url: (path: string) => string }> {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-test-" });
  for (const [path, text] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  return { dir, url: (path: string) => new URL(path, `file://${dir}/`).href };
}

/**
 * A module whose import is visible: it bumps `globalThis.__plugmapImports[key]` once per
 * evaluation, so a test can prove laziness and single import.
 */
export function sideEffectModule(key: string, body: string): string {
  return `const g = globalThis as unknown as { __plugmapImports?: Record<string, number> };
g.__plugmapImports ??= {};
g.__plugmapImports[${JSON.stringify(key)}] = (g.__plugmapImports[${JSON.stringify(key)}] ?? 0) + 1;
${body}
`;
}

/** How often the module with `key` has been evaluated. */
export function importCount(key: string): number {
  const g = globalThis as unknown as { __plugmapImports?: Record<string, number> };
  return g.__plugmapImports?.[key] ?? 0;
}
