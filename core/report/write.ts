/**
 * `report DIR`: writes `<DIR>/report/` with one SVG and one PNG per plot and an
 * `index.html` (checks table + plots). Files are deterministic: identical
 * results give byte-identical SVGs, PNGs and HTML.
 *
 * @example
 * ```ts
 * import { writeReport } from "./write.ts";
 * const files = await writeReport("results/latest");
 * console.log(files.find((f) => f.endsWith("index.html")));
 * ```
 * @module
 */
import { loadSuite, type Suite } from "../results/load.ts";
import { experimentPlots, type Plot } from "./plots.ts";
import { FONT_PACKAGE, renderSvg, svgToPng } from "./render.ts";
import { formatNumber } from "../results/csv.ts";
import { failsGate } from "../checks/types.ts";

/** Options of {@linkcode writeReport}. */
export interface ReportOptions {
  /** Also write PNGs (default true). */
  png?: boolean;
  /** Output folder (default `<dir>/report`). */
  out?: string;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function num(x: number | null): string {
  if (x === null) return "";
  if (!Number.isFinite(x)) return formatNumber(x);
  return String(Number(x.toPrecision(5)));
}

/** The index page: checks table, then each experiment's plots. */
export function indexHtml(
  suite: Suite,
  plots: { experiment: string; plot: Plot; png: boolean }[],
): string {
  const h: string[] = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    "<title>phasebench report</title>",
    "<style>",
    "body{font-family:'DejaVu Sans',sans-serif;margin:2em;max-width:1200px;color:#222}",
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}",
    "th{background:#f2f2f2}.met{background:#e6f4e6}.notmet{background:#fbe3e3}.skipped{background:#fbe3e3}.nodata{background:#f4f4f4;color:#777}",
    ".report{background:#eef2fb}figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}",
    "figcaption{font-size:13px;color:#444;max-width:900px}",
    "</style></head><body>",
    "<h1>phasebench report</h1>",
    `<p>Results: <code>${
      esc(suite.dir)
    }</code>. Plots rendered with vega/vega-lite; PNGs with resvg and ${esc(FONT_PACKAGE)}.</p>`,
    "<h2>Theory checks</h2>",
  ];
  if (suite.checks.length === 0) {
    h.push(
      "<p>No <code>checks.csv</code> in this directory (run <code>verify</code>).</p>",
    );
  } else {
    const notMet = suite.checks.filter(failsGate).length;
    h.push(
      `<p>${suite.checks.length} check rows; ${notMet} gating expectation(s) not met or skipped.</p>`,
    );
    h.push(
      "<table><tr><th>experiment</th><th>check</th><th>run</th><th>expect</th><th>statistic</th><th>value</th>" +
        "<th>expected</th><th>tolerance</th><th>verdict</th><th>outcome</th><th>detail</th></tr>",
    );
    for (const c of suite.checks) {
      const cls = c.outcome === "not met"
        ? "notmet"
        : c.outcome === "no data"
        ? "nodata"
        : c.outcome;
      h.push(
        `<tr class="${cls}"><td>${esc(c.experiment)}</td><td>${esc(c.check)}</td><td>${
          esc(c.run)
        }</td>` +
          `<td>${c.expect}</td><td>${esc(c.statistic)}</td><td>${num(c.value)}</td><td>${
            esc(c.expected)
          }</td>` +
          `<td>${esc(c.tolerance)}</td><td>${c.verdict}</td><td>${c.outcome}</td><td>${
            esc(c.detail)
          }</td></tr>`,
      );
    }
    h.push("</table>");
  }
  h.push("<h2>Plots</h2>");
  let current = "";
  for (const { experiment, plot, png } of plots) {
    if (experiment !== current) {
      current = experiment;
      h.push(`<h3 id="${esc(experiment)}">${esc(experiment)}</h3>`);
    }
    const links = `<a href="${esc(plot.name)}.svg">SVG</a>${
      png ? ` · <a href="${esc(plot.name)}.png">PNG</a>` : ""
    }`;
    h.push(
      `<figure><img src="${esc(plot.name)}.svg" alt="${esc(plot.title)}">` +
        `<figcaption><b>${esc(plot.title)}</b>. ${
          esc(plot.caption)
        } (${links})</figcaption></figure>`,
    );
  }
  if (plots.length === 0) {
    h.push("<p>No plottable columns in these results.</p>");
  }
  h.push("</body></html>", "");
  return h.join("\n");
}

/**
 * Writes the report of the results in `dir` (default into `<dir>/report/`,
 * replaced as a whole: built in a temporary folder, then renamed). Returns the
 * written file paths (index.html last).
 *
 * @example
 * ```ts
 * const files = await writeReport("results/latest", { png: false });
 * ```
 */
export async function writeReport(
  dir: string,
  opts: ReportOptions = {},
): Promise<string[]> {
  const suite = await loadSuite(dir);
  const out = (opts.out ?? `${dir.replace(/\/+$/, "")}/report`).replace(
    /\/+$/,
    "",
  );
  const png = opts.png ?? true;
  const tmp = `${out}.${Deno.pid}.tmp`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  await Deno.mkdir(tmp, { recursive: true });
  const written: string[] = [];
  const plots: { experiment: string; plot: Plot; png: boolean }[] = [];
  try {
    for (const exp of suite.experiments) {
      for (const plot of experimentPlots(exp)) {
        const svg = await renderSvg(plot.spec);
        await Deno.writeTextFile(`${tmp}/${plot.name}.svg`, svg);
        written.push(`${out}/${plot.name}.svg`);
        if (png) {
          await Deno.writeFile(`${tmp}/${plot.name}.png`, await svgToPng(svg));
          written.push(`${out}/${plot.name}.png`);
        }
        plots.push({ experiment: exp.name, plot, png });
      }
    }
    await Deno.writeTextFile(`${tmp}/index.html`, indexHtml(suite, plots));
    written.push(`${out}/index.html`);
    await Deno.remove(out, { recursive: true }).catch(() => {});
    await Deno.rename(tmp, out);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  return written;
}
