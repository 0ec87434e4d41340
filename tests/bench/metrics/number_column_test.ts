// Exact statistics from block columns: the same figures as computeStatistics on one array.
import fc from "npm:fast-check@^4.3.0";
import { computeStatistics } from "../../../src/bench/metrics/compute_statistics.ts";
import { NumberColumn } from "../../../src/bench/metrics/number_column.ts";
import { assertEquals, exported } from "../_assert.ts";

const PERCENTILES = [0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

Deno.test("NumberColumn: statistics equal computeStatistics, across blocks and columns", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(
          fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 3 })),
          { maxLength: 40 },
        ),
        { minLength: 1, maxLength: 4 },
      ),
      fc.integer({ min: 1, max: 7 }),
      (lists, blockSize) => {
        const columns = lists.map((list) => {
          const column = new NumberColumn(blockSize);
          for (const v of list) column.push(v);
          return column;
        });
        const all = lists.flat();
        const want = computeStatistics(all, "ms", PERCENTILES);
        const got = NumberColumn.statistics(columns, "ms", PERCENTILES);
        if (want === undefined) return got === undefined;
        // Sums in a different order may differ in the last bits; order statistics are exact.
        const { avg, std, ...exact } = got!;
        const { avg: wantAvg, std: wantStd, ...wantExact } = want;
        assertEquals(exported(exact), exported(wantExact)); // -0 and 0 alike
        return Math.abs(avg - wantAvg) <= 1e-9 * Math.max(1, Math.abs(wantAvg)) &&
          Math.abs(std! - wantStd!) <= 1e-6 * Math.max(1, wantStd!);
      },
    ),
    { numRuns: 500, examples: [[[[0, -0]], 1], [[[-0], [0]], 2]] },
  );
});
