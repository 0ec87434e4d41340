// AIPerf's --seq-dist: a mixture of (ISL, OSL) pairs with weights, e.g. "256,128:60;512,256:40"
// (each length may carry a stddev: "256|20,128|10:60").

import { normal } from "../_random.ts";

/** One (ISL, OSL) pair of the mixture and its share. */
export interface SequencePair {
  readonly isl: number;
  readonly islStddev: number;
  readonly osl: number;
  readonly oslStddev: number;
  /** Share of the entries, as given (normalized when drawn). */
  readonly weight: number;
}

/** Parses `ISL[|SD],OSL[|SD]:WEIGHT;...`; throws a RangeError naming the bad part. */
export function parseSequenceDistribution(text: string): readonly SequencePair[] {
  const pairs = text.split(";").map((part) => part.trim()).filter((part) => part !== "")
    .map((part) => {
      const match = /^(\d+)(?:\|(\d+(?:\.\d+)?))?,(\d+)(?:\|(\d+(?:\.\d+)?))?:(\d+(?:\.\d+)?)$/
        .exec(part.replaceAll(" ", ""));
      if (match === null || Number(match[1]) < 1 || Number(match[3]) < 1) {
        throw new RangeError(
          `Invalid "sequence_distribution" part "${part}": expected ISL,OSL:WEIGHT ` +
            `(e.g. 256,128:60), each length optionally with |STDDEV`,
        );
      }
      return {
        isl: Number(match[1]),
        islStddev: Number(match[2] ?? 0),
        osl: Number(match[3]),
        oslStddev: Number(match[4] ?? 0),
        weight: Number(match[5]),
      };
    });
  const total = pairs.reduce((sum, p) => sum + p.weight, 0);
  if (pairs.length === 0 || total <= 0) {
    throw new RangeError(
      `Invalid "sequence_distribution" "${text}": expected at least one pair with a weight > 0`,
    );
  }
  return pairs;
}

/** Draws a pair by weight. */
export function drawPair(pairs: readonly SequencePair[], random: () => number): SequencePair {
  const total = pairs.reduce((sum, p) => sum + p.weight, 0);
  let left = random() * total;
  for (const pair of pairs) {
    left -= pair.weight;
    if (left < 0) return pair;
  }
  return pairs[pairs.length - 1]!;
}

/** A delay in ms >= 0 from a normal distribution (exactly `mean` when `stddev` is 0). */
export function nonNegativeNormal(random: () => number, mean: number, stddev: number): number {
  return stddev <= 0 ? mean : Math.max(0, mean + stddev * normal(random));
}
