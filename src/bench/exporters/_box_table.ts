// Tables drawn like AIPerf's console (rich's heavy-head box), fitted to a width.

/** A column: its header and whether it may be dropped to fit (lower `drop` goes first). */
export interface BoxColumn {
  readonly header: string;
  /** Dropped when the table is too wide, lowest first; absent: never dropped. */
  readonly drop?: number;
}

/**
 * Draws `rows` under `columns`, every cell right-aligned. When the table is wider than
 * `width`, droppable columns go, lowest `drop` first, until it fits; before the first column
 * with a `drop` of `shortAt` or more goes, the first column switches to the `short` labels.
 */
export function boxTable(
  title: string,
  columns: readonly BoxColumn[],
  rows: readonly (readonly string[])[],
  width: number,
  short?: readonly string[],
  shortAt = 10,
): string {
  let keep = columns.map((_, i) => i);
  let labels = rows.map((r) => r[0] ?? "");
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
  const droppable = columns.map((c, i) => ({ i, drop: c.drop }))
    .filter((c) => c.drop !== undefined).sort((a, b) => a.drop! - b.drop!);
  let shortened = short === undefined;
  while (total > width && (droppable.length > 0 || !shortened)) {
    if (!shortened && (droppable.length === 0 || droppable[0]!.drop! >= shortAt)) {
      labels = [...short!];
      shortened = true;
    } else {
      const { i } = droppable.shift()!;
      keep = keep.filter((k) => k !== i);
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
