// A small seeded generator (mulberry32) so that runs with the same seed pick the same prompts,
// and what is drawn from it.

/** Returns a function giving floats in [0, 1); seeded when `seed` is given. */
export function randomSource(seed: number | undefined): () => number {
  if (seed === undefined) return Math.random;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate (Box-Muller) from `random`. */
export function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) is -Infinity
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * An integer >= 1 drawn from a normal distribution of `mean` and `stddev`, redrawn until it is
 * positive (AIPerf's `sample_positive_normal_integer`); exactly `mean` when `stddev` is 0.
 */
export function positiveNormalInteger(random: () => number, mean: number, stddev: number): number {
  if (stddev <= 0) return Math.max(1, Math.round(mean));
  for (let tries = 0; tries < 1000; tries++) {
    const value = Math.round(mean + stddev * normal(random));
    if (value >= 1) return value;
  }
  return Math.max(1, Math.round(mean));
}

/**
 * A gamma deviate of `shape` and scale 1 (Marsaglia and Tsang), from `random`. Shape 1 is the
 * exponential distribution.
 */
export function gamma(random: () => number, shape: number): number {
  if (shape < 1) {
    // Boost: Gamma(k) = Gamma(k + 1) * U^(1/k).
    return gamma(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** `length` random bytes from `random`, four from each draw (noise pictures and video frames). */
export function randomBytes(random: () => number, length: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(length / 4));
  for (let i = 0; i < words.length; i++) words[i] = random() * 4294967296;
  return new Uint8Array(words.buffer, 0, length);
}
