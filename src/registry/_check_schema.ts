import type { StandardSchema } from "./types.ts";

type StandardResult = Awaited<ReturnType<StandardSchema["~standard"]["validate"]>>;

/** A failed check, as one line: `path: message; path: message` (`(root)` for the value itself). */
export function describeIssues(result: StandardResult): string | undefined {
  if (result.issues === undefined) return undefined;
  return result.issues.map((issue) => {
    const path = (issue.path ?? [])
      .map((key) => String(typeof key === "object" && key !== null ? key.key : key))
      .join(".");
    return `${path || "(root)"}: ${issue.message}`;
  }).join("; ");
}

/** Checks a value against a host's schema; a schema that answers with a promise is awaited. */
export async function checkSchema(
  schema: StandardSchema,
  value: unknown,
): Promise<string | undefined> {
  return describeIssues(await schema["~standard"].validate(value));
}

/** Checks a value synchronously (discovery does not wait): an asynchronous schema is an issue. */
export function checkSchemaSync(schema: StandardSchema, value: unknown): string | undefined {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) {
    result.catch(() => {});
    return "(root): the category's metadata schema is asynchronous; use a synchronous one";
  }
  return describeIssues(result);
}
