// Evaluated in the report page by _browser.ts: how many charts were drawn, and how much ink
// each chart canvas holds, in any colour and in the first series' colour (#1f77b4).
(() => {
  const series = [0x1f, 0x77, 0xb4];
  const canvases = [...document.querySelectorAll(".plot")].map((plot) => {
    const canvas = plot.querySelector("canvas");
    if (canvas === null) return { id: plot.id, width: 0, height: 0, inked: 0, seriesInk: 0 };
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    let seriesInk = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      inked++;
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      const near = Math.abs(r - series[0]) < 40 && Math.abs(g - series[1]) < 40 &&
        Math.abs(b - series[2]) < 40;
      if (near && b > r + 60) seriesInk++;
    }
    return { id: plot.id, width: canvas.width, height: canvas.height, inked, seriesInk };
  });
  return { drawn: Number(document.body.dataset.charts), canvases, text: document.body.innerText };
})();
