// The pieces of the run reports that other parts of the bench reuse (the sweep's CSV, table and
// page; bench:report), public here so that report/'s `_` files stay its own.
export { paretoFront } from "./_chart_data.ts";
export { csvLine, csvNumber } from "./_csv.ts";
export {
  chartFigure,
  type ChartSpec,
  escapeHtml,
  formatNumber,
  page,
  type Raw,
  raw,
  table,
} from "./_html.ts";
