// Student's t quantile, for confidence intervals over a handful of repeated runs (AIPerf's
// t_critical, which it takes from scipy.stats.t.ppf). The CDF comes from the regularized
// incomplete beta function (continued fraction, modified Lentz); the quantile by bisection.

// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits).
function logGamma(x: number): number {
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

// The continued fraction of the incomplete beta function (converges for x < (a + 1) / (a + b + 2)).
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (
      const aa of [
        (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
        -((a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
      ]
    ) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

// The regularized incomplete beta function I_x(a, b).
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/**
 * The CDF of Student's t distribution with `df` degrees of freedom at `t`.
 *
 * @param t The value.
 * @param df Degrees of freedom (> 0).
 * @returns P(T <= t).
 */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The `p` quantile of Student's t distribution with `df` degrees of freedom (scipy's
 * `stats.t.ppf(p, df)`), to about 1e-9.
 *
 * @param p The probability, strictly between 0 and 1.
 * @param df Degrees of freedom (> 0).
 * @returns t with P(T <= t) = p.
 * @throws {RangeError} When `p` is not strictly between 0 and 1 or `df` is not positive.
 *
 * @example
 * ```ts
 * import { studentTQuantile } from "./student_t.ts";
 *
 * // Five runs at 95 %: df = 4, two-sided.
 * const t = studentTQuantile(0.975, 4);
 * if (Math.abs(t - 2.776445) > 1e-5) throw new Error(String(t));
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`Invalid probability ${p}: expected 0 < p < 1`);
  if (!(df > 0)) throw new RangeError(`Invalid degrees of freedom ${df}: expected > 0`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
