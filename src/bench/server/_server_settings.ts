// The embedded server's options checked once, with their defaults, at start.

import type { ServerOptions } from "./start_server.ts";

/** Every server option resolved to a checked value. */
export interface ServerSettings {
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly outputTokens: number;
  readonly errorEvery: number;
  readonly model: string;
  readonly reasoningTokens: number;
  readonly reasoningField: "reasoning" | "reasoning_content";
  readonly tokensPerChunk: number;
  readonly usage: boolean;
  /** Infinity when the server never crashes. */
  readonly crashAfter: number;
}

/** Checks `options` and fills in the defaults; throws a RangeError naming a bad option. */
export function resolveServerSettings(options: ServerOptions): ServerSettings {
  return {
    ttftMs: nonNegative(options.ttftMs ?? 20, "ttftMs"),
    itlMs: nonNegative(options.itlMs ?? 2, "itlMs"),
    outputTokens: positiveInteger(options.outputTokens ?? 32, "outputTokens"),
    errorEvery: Math.floor(nonNegative(options.errorEvery ?? 0, "errorEvery")),
    model: options.model ?? "plugmap-mock",
    reasoningTokens: Math.floor(nonNegative(options.reasoningTokens ?? 0, "reasoningTokens")),
    reasoningField: options.reasoningField ?? "reasoning",
    tokensPerChunk: positiveInteger(options.tokensPerChunk ?? 1, "tokensPerChunk"),
    usage: options.usage ?? true,
    crashAfter: options.crashAfter === undefined
      ? Infinity
      : positiveInteger(options.crashAfter, "crashAfter"),
  };
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid server option "${name}": expected a number >= 0, got ${value}`);
  }
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Invalid server option "${name}": expected a positive integer, got ${value}`,
    );
  }
  return value;
}
