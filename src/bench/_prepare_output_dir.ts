// The output directory is created and proven writable before anything is sent: a run whose
// files cannot be written is refused at once, not found out after an hour of load.

/**
 * Creates `dir` (and its parents) and proves files can be created in it, by creating and
 * removing a probe file.
 *
 * @param dir The output directory (`--output`).
 * @returns `undefined` when `dir` is ready, else why it cannot be used, in words
 * (`"it is a file, not a directory"`), with the system's message.
 */
export async function prepareOutputDir(dir: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) return "it exists and is a file, not a directory";
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return why(error);
  }
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    return `it cannot be created: ${why(error)}`;
  }
  const probe = `${dir}/.plugmap-write-check-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeTextFile(probe, "", { createNew: true });
  } catch (error) {
    return `no file can be created in it: ${why(error)}`;
  }
  await Deno.remove(probe).catch(() => {});
  return undefined;
}

// A system error in words: what it means first, then the system's own message.
function why(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof Deno.errors.NotADirectory || /not a directory/i.test(message)) {
    return `a part of the path is a file, not a directory (${message})`;
  }
  if (error instanceof Deno.errors.PermissionDenied || /permission denied/i.test(message)) {
    return `permission denied (${message})`;
  }
  if (error instanceof Deno.errors.AlreadyExists) return `a file is in the way (${message})`;
  return message;
}
