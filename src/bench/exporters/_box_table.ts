// Tables drawn like AIPerf's console (rich's heavy-head box), fitted to a width.

/** A column header. */
export interface BoxColumn {
  readonly header: string;
}

/**
 * One way to narrow a table: drop the column at `drop` (an index into the columns), or
 * switch every first-column label longer than `shortenLongerThan` to its short form.
 */
export type NarrowStep = { readonly drop: number } | { readonly shortenLongerThan: number };

/**
 * Draws `rows` under `columns`, every cell right-aligned. While the table is wider than
 * `width`, the `steps` are applied in order (drop a column, shorten long labels to `short`)
 * until it fits or no step is left.
 */
export function boxTable(
  title: string,
  columns: readonly BoxColumn[],
  rows: readonly (readonly string[])[],
  width: number,
  steps: readonly NarrowStep[] = [],
  short?: readonly string[],
): string {
  let keep = columns.map((_, i) => i);
  const labels = rows.map((r) => r[0] ?? "");
  const measure = () => {
    const widths = keep.map((i) =>
      Math.max(
        columns[i]!.header.length,
        ...rows.map((r, k) => (i === 0 ? labels[k]! : r[i] ?? "").length),
      )
    );
    return { widths, total: widths.reduce((a, w) => a + w + 3, 1) };
  };
  let { widths, total } = measure();
  for (const step of steps) {
    if (total <= width) break;
    if ("drop" in step) keep = keep.filter((k) => k !== step.drop);
    else {
      labels.forEach((label, k) => {
        const alt = short?.[k];
        if (alt !== undefined && label.length > step.shortenLongerThan) labels[k] = alt;
      });
    }
    ({ widths, total } = measure());
  }
  const line = (l: string, m: string, r: string, fill: string) =>
    l + widths.map((w) => fill.repeat(w + 2)).join(m) + r;
  const row = (cells: readonly string[], edge: string) =>
    edge + cells.map((c, k) => " " + c.padStart(widths[k]!) + " ").join(edge) + edge;
  const out = [
    title.padStart(Math.floor((total + title.length) / 2)),
    line("┏", "┳", "┓", "━"),
    row(keep.map((i) => columns[i]!.header), "┃"),
    line("┡", "╇", "┩", "━"),
    ...rows.map((r, k) => row(keep.map((i) => i === 0 ? labels[k]! : r[i]!), "│")),
    line("└", "┴", "┘", "─"),
  ];
  return out.join("\n") + "\n";
}
