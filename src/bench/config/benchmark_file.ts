import * as v from "../_deps/valibot.ts";
import type { Setting } from "./setting.ts";
import { SETTINGS } from "./settings_table.ts";

type Row = (typeof SETTINGS)[number];
type FileKey<R, P extends string> = R extends Setting<string, unknown, infer F>
  ? F extends `${P}${infer Key}` ? Key extends `${string}.${string}` ? never : Key : never
  : never;
type Entries<P extends string> = {
  [R in Row as FileKey<R, P>]: v.OptionalSchema<
    v.GenericSchema<unknown, R extends Setting<string, infer T, string> ? T : never>,
    undefined
  >;
};

/** The benchmark-file keys under `prefix` (`server.`, or "" for the top level) the table owns. */
function tableEntries<P extends string>(prefix: P): Entries<P> {
  const entries: Record<string, unknown> = {};
  for (const row of SETTINGS as readonly Setting[]) {
    const key = row.file?.startsWith(prefix) ? row.file.slice(prefix.length) : undefined;
    if (key !== undefined && !key.includes(".")) entries[key] = v.optional(row.kind.schema);
  }
  return entries as Entries<P>;
}

const Name = v.pipe(v.string("expected a string"), v.minLength(1, "expected a non-empty string"));
const Config = v.record(v.string(), v.unknown(), "expected an object of settings");

/**
 * An implementation chosen by name, with its config: `{ name, config }`, or just the name
 * (normalized to `{ name }`).
 */
export const SelectionSchema = v.pipe(
  v.unknown(),
  v.transform((value) => typeof value === "string" ? { name: value } : value),
  v.strictObject(
    { name: Name, config: v.optional(Config, {}) },
    "expected a name or { name, config }",
  ),
);

const Count = v.pipe(
  v.number("expected an integer >= 0"),
  v.integer("expected an integer >= 0"),
  v.minValue(0, "expected an integer >= 0"),
);

/** A duration: seconds as a number, or a string with a unit (`500ms`, `30s`, `2m`). */
export const DurationSchema = v.pipe(
  v.union([v.number(), v.string()], 'expected seconds or a duration such as "30s"'),
  v.transform((value) => {
    if (typeof value === "number") return value * 1000;
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
    if (match === null) return NaN;
    const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "s"] ?? 1000;
    return Number(match[1]) * scale;
  }),
  v.check(
    (ms) => Number.isFinite(ms) && ms > 0,
    'expected seconds > 0 or a duration such as "30s"',
  ),
);

const PhaseSchema = v.strictObject({
  request_count: v.optional(Count),
  duration: v.optional(DurationSchema),
  conversation_count: v.optional(Count),
});

/**
 * The benchmark file (`--config FILE`), validated with valibot. Every key is optional; unknown
 * keys are refused so a typo does not go unnoticed.
 */
export const BenchmarkFileSchema = v.strictObject({
  endpoint: v.optional(SelectionSchema),
  timing_strategy: v.optional(SelectionSchema),
  dataset: v.optional(SelectionSchema),
  dataset_sampler: v.optional(SelectionSchema),
  exporters: v.optional(v.array(SelectionSchema, "expected a list")),
  phases: v.optional(v.strictObject({
    warmup: v.optional(PhaseSchema),
    profiling: v.optional(PhaseSchema),
  })),
  // `output`, `strict` and `server:` come from the settings table (its rows' `file` keys).
  ...tableEntries(""),
  server: v.optional(v.strictObject(tableEntries("server."))),
  plugins: v.optional(v.strictObject({
    map: v.optional(v.record(v.string(), v.string("expected a manifest specifier"))),
    phase_hooks: v.optional(v.array(SelectionSchema, "expected a list")),
  })),
});

/** A benchmark file after validation. */
export type BenchmarkFile = v.InferOutput<typeof BenchmarkFileSchema>;

/** A selection after validation. */
export type Selection = v.InferOutput<typeof SelectionSchema>;

/** A phase's stop conditions after validation (`duration` in milliseconds). */
export type BenchmarkFilePhase = v.InferOutput<typeof PhaseSchema>;
