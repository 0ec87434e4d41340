// How the endpoints and the phase runner turn a thrown value into a one-line reason.

/** The first line of an error's message (or of the thrown value as a string). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
