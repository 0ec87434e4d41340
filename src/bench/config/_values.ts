// The kinds of value a setting takes. Each kind is one valibot schema, used as it is for the
// benchmark file (where YAML already gives numbers and booleans) and, after `fromText`, for the
// command line (where everything is text); so a flag and its file key cannot disagree.
import * as v from "../_deps/valibot.ts";

/** How a setting's value is read, checked and shown. */
export interface ValueKind<T> {
  /** The value as it is written in the benchmark file (and after `fromText` on a flag). */
  readonly schema: v.GenericSchema<unknown, T>;
  /** A flag's text to the input of `schema`; numbers are numbers only when written as such. */
  readonly fromText: (text: string) => unknown;
  /** The placeholder in `--help` (`N`, `MS`, `URL`). */
  readonly metavar: string;
  /** The JSON Schema of the file value, for `schema/benchmark.schema.json` and the docs. */
  readonly json: Readonly<Record<string, unknown>>;
  /** Whether the kind's messages already quote the text (else `, got "<text>"` is added). */
  readonly quotes?: boolean;
  /** A flag without a value: `switch` gives true (false with `--no-`), `counter` counts. */
  readonly flag?: "switch" | "counter";
}

const INTEGER = /^\s*\d+\s*$/;

function integerText(text: string): unknown {
  return INTEGER.test(text) ? Number(text) : text;
}

function numberText(text: string): unknown {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** An integer >= `min` (1: "a positive integer"), and <= `max` when given. */
export function integer(metavar = "N", min = 1, max?: number): ValueKind<number> {
  const message = max !== undefined
    ? `expected an integer from ${min} to ${max}`
    : min === 1
    ? "expected a positive integer"
    : `expected an integer >= ${min}`;
  const whole = v.pipe(
    v.number(message),
    v.integer(message),
    v.minValue(min, message),
    v.check((n: number) => Number.isSafeInteger(n), message),
  );
  return {
    schema: max === undefined ? whole : v.pipe(whole, v.maxValue(max, message)),
    fromText: integerText,
    metavar,
    json: { type: "integer", minimum: min, ...(max === undefined ? {} : { maximum: max }) },
  };
}

/** A finite number > 0 (`positive`) or >= 0. */
export function number(metavar: string, positive: boolean): ValueKind<number> {
  const message = `expected a number ${positive ? "> 0" : ">= 0"}`;
  return {
    schema: v.pipe(
      v.number(message),
      v.finite(message),
      v.check((n) => positive ? n > 0 : n >= 0, message),
    ),
    fromText: numberText,
    metavar,
    json: positive ? { type: "number", exclusiveMinimum: 0 } : { type: "number", minimum: 0 },
  };
}

/** A fraction from 0 to 1. */
export function fraction(metavar = "F"): ValueKind<number> {
  const message = "expected a fraction from 0 to 1";
  return {
    schema: v.pipe(v.number(message), v.minValue(0, message), v.maxValue(1, message)),
    fromText: numberText,
    metavar,
    json: { type: "number", minimum: 0, maximum: 1 },
  };
}

/** Any non-empty text. */
export function text(metavar: string): ValueKind<string> {
  const message = "expected a non-empty string";
  return {
    schema: v.pipe(v.string(message), v.minLength(1, message)),
    fromText: (t) => t,
    metavar,
    json: { type: "string", minLength: 1 },
  };
}

/** One of `choices`; `aliases` maps other spellings (`round-robin`) to a choice. */
export function choice<const C extends string>(
  choices: readonly C[],
  options: { metavar?: string; aliases?: Readonly<Record<string, C>>; fold?: boolean } = {},
): ValueKind<C> {
  const message = `expected one of ${choices.join(", ")}`;
  const aliases = options.aliases ?? {};
  return {
    schema: v.pipe(
      v.string(message),
      v.transform((s) => {
        const key = options.fold ? s.toLowerCase() : s;
        return aliases[key] ?? key;
      }),
      v.picklist(choices, message),
    ),
    fromText: (t) => t,
    metavar: options.metavar ?? choices.join("|"),
    json: { type: "string", enum: [...choices, ...Object.keys(aliases)] },
  };
}

/** true or false (a switch on the command line). */
export function boolean(): ValueKind<boolean> {
  const message = "expected true or false";
  return {
    schema: v.boolean(message),
    fromText: (t) => t,
    metavar: "",
    json: { type: "boolean" },
    flag: "switch",
  };
}

/** How many times a flag is given (`-v -v`, `-vv`). */
export function counter(): ValueKind<number> {
  return { ...integer("", 0), flag: "counter" };
}

/**
 * A value parsed from text by `parse`, which throws an Error whose message says what is wrong
 * (quoting the text itself when useful).
 */
export function parsed<T>(
  metavar: string,
  parse: (text: string) => T,
  json: Readonly<Record<string, unknown>> = { type: "string" },
): ValueKind<T> {
  return parsedFrom(v.string("expected a string"), metavar, parse, json);
}

/** The values of a repeated flag (or a file's list of strings), parsed together by `parse`. */
export function parsedList<T>(
  metavar: string,
  parse: (texts: readonly string[]) => T,
): ValueKind<T> {
  const list = v.array(v.string("expected a string"), "expected a list of strings");
  return parsedFrom(list, metavar, parse, { type: "array", items: { type: "string" } });
}

function parsedFrom<I, T>(
  input: v.GenericSchema<unknown, I>,
  metavar: string,
  parse: (value: I) => T,
  json: Readonly<Record<string, unknown>>,
): ValueKind<T> {
  return {
    schema: v.pipe(
      input,
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
          return parse(dataset.value);
        } catch (error) {
          addIssue({ message: (error as Error).message });
          return NEVER;
        }
      }),
    ) as v.GenericSchema<unknown, T>,
    fromText: (t) => t,
    metavar,
    json,
    quotes: true,
  };
}

/**
 * Reads `input` as `kind` says; returns the value or the problem (for a flag, with the text it
 * was given).
 */
export function readValue<T>(
  kind: ValueKind<T>,
  input: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const result = v.safeParse(kind.schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, message: result.issues[0].message };
}
