// Draws the charts of a plugmap bench report with uPlot (inlined before this script). The data
// is JSON in <script type="application/json" id="plugmap-charts">: a list of chart specs, each
// drawn into the element whose id it names. When every chart is drawn, <body> gets
// data-charts="<count>" (the browser test waits for it). Charts follow the page width and are
// redrawn at a fixed width for printing.
(function () {
  "use strict";
  const PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
  ];
  const PRINT_WIDTH = 680;
  const specs = JSON.parse(document.getElementById("plugmap-charts").textContent);
  const plots = [];

  function color(spec, i) {
    const s = spec.series[i];
    return PALETTE[(s.color ?? i) % PALETTE.length];
  }

  function formatValue(v) {
    if (v == null || !Number.isFinite(v)) return "–";
    const a = Math.abs(v);
    return a >= 1000 || Number.isInteger(v)
      ? v.toLocaleString("en-US", { maximumFractionDigits: 0 })
      : v.toLocaleString("en-US", { maximumFractionDigits: a >= 10 ? 1 : 3 });
  }

  function seriesOptions(spec, s, i) {
    const stroke = color(spec, i);
    const options = {
      label: s.label,
      stroke,
      width: s.width ?? 2,
      value: (_u, v) => formatValue(v),
    };
    if (s.kind === "bars") {
      options.fill = stroke + "99";
      options.width = 1;
      options.paths = uPlot.paths.bars({ size: [0.92, Infinity], align: 0 });
      options.points = { show: false };
    } else if (s.kind === "points") {
      options.paths = () => null;
      options.points = { show: true, size: 4, stroke, fill: stroke, width: 1 };
    } else if (s.kind === "line+points") {
      options.points = { show: true, size: 7, stroke, fill: "#fff", width: 2 };
      options.spanGaps = true;
    } else if (s.kind === "line" && s.spanGaps === true) {
      options.points = { show: true, size: 10, stroke, fill: stroke + "33", width: 2 };
      options.spanGaps = true;
    } else if (s.kind === "marker") {
      options.paths = () => null;
      options.points = { show: true, size: 14, stroke, fill: stroke + "55", width: 3 };
    } else {
      options.points = { show: false };
      options.spanGaps = s.spanGaps === true;
    }
    if (s.dash) options.dash = [6, 4];
    return options;
  }

  // Writes each point's label (pointLabels) beside it, above and to the right.
  function labelHook(spec) {
    const labels = spec.pointLabels;
    return (u) => {
      const values = spec.series[labels.series].values;
      const ctx = u.ctx;
      ctx.save();
      ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
      ctx.fillStyle = "#333";
      ctx.textBaseline = "bottom";
      labels.text.forEach((text, i) => {
        const y = values[i];
        if (text == null || y == null) return;
        const px = u.valToPos(spec.x.values[i], "x", true);
        const py = u.valToPos(y, "y", true);
        ctx.fillText(text, px + 6 * devicePixelRatio, py - 4 * devicePixelRatio);
      });
      ctx.restore();
    };
  }

  function width(el) {
    const w = el.clientWidth || el.parentElement.clientWidth || 800;
    return Math.max(300, Math.floor(w));
  }

  function draw(spec) {
    const el = document.getElementById(spec.id);
    if (el === null) throw new Error(`No element for chart "${spec.id}"`);
    const options = {
      width: width(el),
      height: spec.height ?? 240,
      series: [
        { label: spec.x.label, value: (_u, v) => formatValue(v) },
        ...spec.series.map((s, i) => seriesOptions(spec, s, i)),
      ],
      scales: {
        x: { time: false, ...(spec.x.range ? { range: spec.x.range } : {}) },
        y: spec.y.log ? { distr: 3 } : { range: (_u, min, max) => [Math.min(0, min), max || 1] },
      },
      axes: [
        { label: spec.x.label, values: (_u, ticks) => ticks.map(formatValue) },
        { label: spec.y.label, size: 60, values: (_u, ticks) => ticks.map(formatValue) },
      ],
      legend: { live: true },
      ...(spec.pointLabels ? { hooks: { draw: [labelHook(spec)] } } : {}),
      cursor: { drag: { x: true, y: false } },
    };
    const data = [spec.x.values, ...spec.series.map((s) => s.values)];
    const plot = new uPlot(options, data, el);
    plots.push({ plot, el });
  }

  function resize(forPrint) {
    for (const { plot, el } of plots) {
      plot.setSize({ width: forPrint ? PRINT_WIDTH : width(el), height: plot.height });
    }
  }

  for (const spec of specs) draw(spec);
  let timer = 0;
  addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => resize(false), 100);
  });
  addEventListener("beforeprint", () => resize(true));
  addEventListener("afterprint", () => resize(false));
  document.body.dataset.charts = String(plots.length);
})();
