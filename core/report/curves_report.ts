/**
 * The figures of `curves … --report DIR`: the same plots `report` draws for
 * a suite, for curves logged elsewhere.
 * @module
 */
import type { CheckOptions, RunData } from "../checks/types.ts";
import { optionsFor } from "../checks/curves.ts";
import { experimentPlots } from "./plots.ts";
import { renderSvg } from "./render.ts";

/**
 * Writes the collapse figure (normalised curves coloured by size, Δ and σ̄
 * beneath) and the loss curves of a curves file as SVG into `dir`, with an
 * `index.html`; the same plots `deno task report` draws for a suite. Returns
 * the written paths.
 *
 * @example
 * ```ts
 * import { writeCurvesReport } from "./curves_report.ts";
 * import { curvesFromCsv } from "../checks/curves.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // sizes 10, 20, 40 with two seeds: L(c) = 0.5 + 100/c up to c = 10·size
 * const lines = ["params,seed,compute,loss"];
 * for (const n of [10, 20, 40]) {
 *   for (const s of [0, 1]) lines.push(`${n},${s},${5 * n},${0.5 + 20 / n}`, `${n},${s},${10 * n},${0.5 + 10 / n}`);
 * }
 * const { runs } = curvesFromCsv(lines.join("\n") + "\n", "l.csv", {});
 * const dir = await Deno.makeTempDir();
 * const files = await writeCurvesReport(dir, "ladder", runs, { l0: 0.5, loss: "loss" });
 * assertEquals(files, [`${dir}/ladder.collapse.svg`, `${dir}/index.html`]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeCurvesReport(
  dir: string,
  experiment: string,
  runs: RunData[],
  options: CheckOptions,
  checks: { name: string; expect: string; options: CheckOptions }[] = [
    { name: "collapse", expect: "report", options: optionsFor("collapse", options) },
  ],
): Promise<string[]> {
  const name = experiment.replace(/[^A-Za-z0-9_.-]/g, "_") || "curves";
  const exp = {
    name,
    config: {
      name,
      tags: checks.some((c) => ["collapse", "supercollapse", "fit_l0"].includes(c.name))
        ? ["collapse"]
        : [],
      checks,
    },
    runsCsv: null,
    runs: runs.map((r) => ({ ...r, dir: r.id })),
  };
  const plots = experimentPlots(exp);
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  const esc = (t: string) =>
    t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const items: string[] = [];
  for (const p of plots) {
    const file = `${p.name}.svg`;
    await Deno.writeTextFile(`${dir}/${file}`, await renderSvg(p.spec));
    written.push(`${dir}/${file}`);
    items.push(
      `<h2>${esc(p.title)}</h2><p>${esc(p.caption)}</p><img src="${esc(file)}" alt="${
        esc(p.title)
      }">`,
    );
  }
  await Deno.writeTextFile(
    `${dir}/index.html`,
    `<!doctype html><meta charset="utf-8"><title>${esc(name)}</title><h1>${
      esc(name)
    }: curves</h1>\n${items.join("\n")}\n`,
  );
  written.push(`${dir}/index.html`);
  return written;
}
