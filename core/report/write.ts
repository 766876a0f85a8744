/**
 * `report DIR`: writes `<DIR>/report/` with one SVG and one PNG per plot and an
 * `index.html` (checks table + plots). Files are deterministic: identical
 * results give byte-identical SVGs, PNGs and HTML.
 *
 * @example
 * ```ts
 * import { writeReport } from "./write.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { runFilter: (id) => id.startsWith("eos_toy/") });
 * const files = await writeReport(dir);
 * assertEquals(files.map((f) => f.slice(dir.length + 1)), [
 *   "report/eos_toy.loss.svg",
 *   "report/eos_toy.loss.png",
 *   "report/eos_toy.sharpness.svg",
 *   "report/eos_toy.sharpness.png",
 *   "report/index.html",
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { LoadError, loadSuite, type Suite } from "../results/load.ts";
import { experimentPlots, type Plot } from "./plots.ts";
import { verdictGrids } from "./verdict_grid.ts";
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

/** The run context from the suite manifest: commit, backend, date, profile, suite. */
function headerLine(suite: Suite): string {
  const m = (suite.manifest ?? {}) as Record<string, unknown>;
  const git = m.git as { commit?: string; dirty?: boolean } | null | undefined;
  const backend = m.backend as { name?: string; device?: string; cpu?: string } | undefined;
  const parts: string[] = [];
  if (git?.commit) {
    parts.push(`commit <code>${esc(git.commit.slice(0, 12))}</code>${git.dirty ? " (dirty)" : ""}`);
  }
  if (backend?.name) {
    const where = [backend.cpu, backend.device].filter((x) => x).join("; ");
    parts.push(`backend <b>${esc(backend.name)}</b>${where ? ` (${esc(where)})` : ""}`);
  }
  if (typeof m.started === "string") {
    parts.push(`run ${esc(m.started.slice(0, 16).replace("T", " "))} UTC`);
  }
  if (typeof m.profile === "string") parts.push(`profile ${esc(m.profile)}`);
  if (typeof m.suite === "string") parts.push(`suite ${esc(m.suite)}`);
  return parts.length > 0 ? `<p class="meta">${parts.join(" · ")}</p>` : "";
}

const OUTCOME_CLASS: Record<string, string> = {
  met: "met",
  "not met": "notmet",
  skipped: "skipped",
  report: "report",
  "no data": "nodata",
};

/**
 * One compact verdict row (linked to the experiment's section): the verdict
 * (pass, fail, skip) beside the outcome, since a report row's outcome is
 * "report" whatever its verdict.
 */
function compactRow(c: Suite["checks"][number]): string {
  return `<tr class="${OUTCOME_CLASS[c.outcome]}"><td><a href="#${esc(c.experiment)}">${
    esc(c.experiment)
  }</a></td><td>${esc(c.check)}</td><td>${
    esc(c.run === "*" ? "" : c.run.replace(/^[^/]*\//, ""))
  }</td><td>${c.expect}</td><td>${c.verdict}</td><td>${c.outcome}</td><td>${esc(c.statistic)}${
    c.value === null ? "" : ` = ${num(c.value)}`
  }</td></tr>`;
}

/**
 * The index page: the run's context, a verdict summary (counts, then every
 * gating check not met or skipped), then one section per experiment with its
 * verdicts and figures, and the full checks table (all columns) at the end.
 */
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
    "table{border-collapse:collapse;font-size:13px;max-width:100%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}",
    "th{background:#f2f2f2}.met{background:#e6f4e6}.notmet{background:#fbe3e3}.skipped{background:#fbe3e3}.nodata{background:#f4f4f4;color:#777}",
    ".report{background:#eef2fb}figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}",
    "figcaption{font-size:13px;color:#444;max-width:900px}.meta{color:#555}.counts span{margin-right:1.2em}",
    "</style></head><body>",
    "<h1>phasebench report</h1>",
    headerLine(suite),
    `<p>Results: <code>${
      esc(suite.dir)
    }</code>. Plots rendered with vega/vega-lite; PNGs with resvg and ${esc(FONT_PACKAGE)}.</p>`,
    "<h2>Verdicts</h2>",
  ];
  if (suite.checks.length === 0) {
    h.push("<p>No <code>checks.csv</code> in this directory (run <code>verify</code>).</p>");
  } else {
    const count = (o: string) => suite.checks.filter((c) => c.outcome === o).length;
    h.push(
      `<p class="counts"><span class="met">${count("met")} met</span><span class="notmet">${
        count("not met")
      } not met</span><span class="skipped">${count("skipped")} skipped (gating)</span>` +
        `<span class="report">${count("report")} report</span><span class="nodata">${
          count("no data")
        } without data</span></p>`,
    );
    const failing = suite.checks.filter(failsGate);
    if (failing.length > 0) {
      h.push("<p><b>Gating checks not met or skipped:</b></p><ul>");
      for (const c of failing) {
        h.push(
          `<li><a href="#${esc(c.experiment)}">${esc(c.experiment)}</a> ${esc(c.check)} ${
            esc(c.run)
          } (expect ${c.expect}, verdict ${c.verdict}): ${esc(c.detail)}</li>`,
        );
      }
      h.push("</ul>");
    } else {
      h.push("<p>Every gating check met its expectation.</p>");
    }
  }
  const experiments = [
    ...new Set([...suite.experiments.map((e) => e.name), ...suite.checks.map((c) => c.experiment)]),
  ].sort();
  h.push("<h2>Experiments</h2>");
  for (const name of experiments) {
    h.push(`<h3 id="${esc(name)}">${esc(name)}</h3>`);
    const rows = suite.checks.filter((c) => c.experiment === name);
    if (rows.length > 0) {
      h.push(
        "<table><tr><th>experiment</th><th>check</th><th>run</th><th>expect</th><th>verdict</th><th>outcome</th><th>statistic</th></tr>",
        ...rows.map(compactRow),
        "</table>",
      );
    }
    const mine = plots.filter((p) => p.experiment === name);
    for (const { plot, png } of mine) {
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
    if (mine.length === 0) h.push("<p>No plottable curves.</p>");
  }
  if (suite.checks.length > 0) {
    h.push(
      "<h2>All check rows</h2>",
      "<details><summary>every column of checks.csv</summary>",
      "<table><tr><th>experiment</th><th>check</th><th>run</th><th>expect</th><th>statistic</th><th>value</th>" +
        "<th>expected</th><th>tolerance</th><th>verdict</th><th>outcome</th><th>detail</th></tr>",
    );
    for (const c of suite.checks) {
      h.push(
        `<tr class="${OUTCOME_CLASS[c.outcome]}"><td><a href="#${esc(c.experiment)}">${
          esc(c.experiment)
        }</a></td><td>${esc(c.check)}</td><td>${esc(c.run)}</td>` +
          `<td>${c.expect}</td><td>${esc(c.statistic)}</td><td>${num(c.value)}</td><td>${
            esc(c.expected)
          }</td>` +
          `<td>${esc(c.tolerance)}</td><td>${c.verdict}</td><td>${c.outcome}</td><td>${
            esc(c.detail)
          }</td></tr>`,
      );
    }
    h.push("</table></details>");
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
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { runFilter: (id) => id.startsWith("eos_toy/") });
 * const files = await writeReport(dir, { png: false, out: `${dir}/plots` });
 * assertEquals(files.map((f) => f.slice(dir.length + 1)), [
 *   "plots/eos_toy.loss.svg",
 *   "plots/eos_toy.sharpness.svg",
 *   "plots/index.html",
 * ]);
 * await Deno.remove(dir, { recursive: true });
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
    const grids = verdictGrids(suite);
    for (const exp of suite.experiments) {
      const mine = grids.filter((g) => g.experiment === exp.name).map((g) => g.plot);
      for (const plot of [...experimentPlots(exp), ...mine]) {
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
    if (plots.length === 0) {
      throw new LoadError(
        dir,
        null,
        `nothing to plot: no run has measured curves (${suite.experiments.length} experiment(s)); no report written`,
      );
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
