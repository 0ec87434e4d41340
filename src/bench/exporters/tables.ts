// The console tables, public here for the sweep's table and bench:report, so that exporters/'
// `_` files stay its own.
export { boxTable } from "./_box_table.ts";
export { metricsTable } from "./_metrics_table.ts";
