// Opens a report in a real headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) through
// puppeteer-core, with the network cut off, and says what the page did: console errors, page
// errors, requests other than the file itself, and how much each chart's canvas drew.
import puppeteer from "npm:puppeteer-core@^25.0.0";
import PROBE from "./_canvas_probe.js" with { type: "text" };

/** What a chart canvas holds. */
export interface CanvasInk {
  /** The id of the chart's element. */
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Pixels that are not blank (any colour, axes and labels included). */
  readonly inked: number;
  /** Pixels in the colour of the first series (its bars, points or line). */
  readonly seriesInk: number;
}

/** What opening a page did. */
export interface PageVisit {
  /** Console messages of type error or warning, and uncaught page errors. */
  readonly problems: readonly string[];
  /** URLs the page asked for, other than itself. */
  readonly requests: readonly string[];
  /** `<body data-charts>`: how many charts the chart script drew. */
  readonly drawn: number;
  /** One entry per chart canvas. */
  readonly canvases: readonly CanvasInk[];
  /** The page's text. */
  readonly text: string;
}

/** Where Chromium is: $CHROMIUM, else Debian's package path. */
export const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

/** Opens `path` (an HTML file) and reports; optionally saves a full-page PNG screenshot. */
export async function visit(
  path: string,
  options: { screenshot?: string; width?: number } = {},
): Promise<PageVisit> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM`,
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "plugmap-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: options.width ?? 1280, height: 900 });
    const problems: string[] = [];
    const requests: string[] = [];
    const self = new URL(`file://${path}`).href;
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warn") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${(e as Error).message ?? e}`));
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (request.url() === self) return void request.continue();
      requests.push(request.url());
      void request.abort();
    });
    await page.goto(self, { waitUntil: "load" });
    await page.waitForSelector("body[data-charts]", { timeout: 10_000 });
    const result = await page.evaluate(PROBE) as Omit<PageVisit, "problems" | "requests">;
    if (options.screenshot !== undefined) {
      await page.screenshot({ path: options.screenshot, fullPage: true });
    }
    return { problems, requests, ...result };
  } finally {
    await browser.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}
