import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import {
  captureIO,
  type FakeExperiment,
  fakeExperiments,
  setMetric,
  writeFakeSuite,
} from "./compare_fixture.ts";
import { writeReport } from "../core/report/write.ts";
import { reportCommand } from "../core/commands/report.ts";
import { normalizeSvgIds, renderSvg } from "../core/report/render.ts";
import { compareSweepLabels, experimentPlots, spansDecades, thin } from "../core/report/plots.ts";
import { loadSuite } from "../core/results/load.ts";

async function svgs(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(dir)) {
    if (e.name.endsWith(".svg") || e.name.endsWith(".html")) {
      out.set(e.name, await Deno.readTextFile(`${dir}/${e.name}`));
    }
  }
  return out;
}

Deno.test("writeReport() gives byte-identical SVGs and HTML for identical results, whatever was rendered before", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_report_" });
  await writeFakeSuite(`${root}/a`, { wallSeconds: 1 });
  await writeFakeSuite(`${root}/b`, { wallSeconds: 9 });
  await writeReport(`${root}/a`, { png: false, out: `${root}/ra` });
  // render something else in between: vega's clip-path counter moves on
  await renderSvg({
    data: { values: [{ x: 1, y: 1 }, { x: 2, y: 3 }] },
    mark: { type: "line", clip: true },
    encoding: {
      x: { field: "x", type: "quantitative" },
      y: { field: "y", type: "quantitative" },
    },
  });
  await writeReport(`${root}/b`, { png: false, out: `${root}/rb` });
  const a = await svgs(`${root}/ra`), b = await svgs(`${root}/rb`);
  assertEquals([...a.keys()].sort(), [...b.keys()].sort());
  assertOk(a.size >= 7);
  for (const [name, text] of a) {
    if (name === "index.html") continue; // names the results directory
    assertOk(text === b.get(name), `${name} differs`);
    const ids = [...text.matchAll(/id="clip(\d+)"/g)].map((m) => Number(m[1]));
    assertEquals(
      ids,
      ids.map((_, i) => i + 1),
      `${name}: clip ids numbered 1, 2, … in order`,
    );
  }
  assertEquals(
    a.get("index.html")!.replaceAll(`${root}/a`, "X"),
    b.get("index.html")!.replaceAll(`${root}/b`, "X"),
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeReport() draws only what the CSVs contain, with labelled axes and marked thresholds", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_report_" });
  await writeFakeSuite(root);
  const files = (await writeReport(root, { png: false })).map((f) => f.slice(root.length + 1));
  assertEquals(files, [
    "report/collapse_toy.loss.svg",
    "report/collapse_toy.collapse.svg",
    "report/eos_toy.loss.svg",
    "report/eos_toy.sharpness.svg",
    "report/grok_toy.loss.svg",
    "report/grok_toy.accuracy.svg",
    "report/grok_toy.gram.svg",
    "report/index.html",
  ]);
  const read = (f: string) => Deno.readTextFile(`${root}/report/${f}`);
  const sharp = await read("eos_toy.sharpness.svg");
  for (
    const s of [
      "2/η",
      "λ_max (Hessian)",
      "lr=0.2,seed=1",
      "lr=0.4,seed=1",
      ">step<",
      ">sharpness<",
    ]
  ) {
    assertOk(sharp.includes(s), `sharpness plot shows ${s}`);
  }
  const acc = await read("grok_toy.accuracy.svg");
  for (const s of [">t_fit<", ">t_gen<", "step (log scale)", ">accuracy<"]) {
    assertOk(acc.includes(s), `accuracy plot shows ${s}`);
  }
  const col = await read("collapse_toy.collapse.svg");
  for (
    const s of [
      "size (model.width)",
      "Δ(x) collapse deviation",
      "σ̄(x) seed noise floor",
      "L̂ = ",
    ]
  ) {
    assertOk(col.includes(s), `collapse plot shows ${s}`);
  }
  assertOk((await read("eos_toy.loss.svg")).includes("loss (log scale)"));
  const html = await read("index.html");
  // the full table: every column, each row linked to its experiment's section
  assertMatch(
    html,
    /<td><a href="#eos_toy">eos_toy<\/a><\/td><td>eos<\/td><td>eos_toy\/lr=0\.2,seed=1<\/td><td>holds<\/td>/,
  );
  // an experiment's compact rows give the verdict beside the outcome: a report row passed here
  assertMatch(
    html,
    /<td>collapse<\/td><td><\/td><td>report<\/td><td>pass<\/td><td>report<\/td><td>median Delta\/sigma = 0\.8<\/td>/,
  );
  // every link resolves to an anchor; the summary and the header come before any figure
  for (const m of html.matchAll(/href="#([^"]+)"/g)) {
    assertOk(html.includes(`id="${m[1]}"`), `anchor #${m[1]}`);
  }
  assertOk(html.indexOf("<h2>Verdicts</h2>") < html.indexOf("<figure>"));
  assertMatch(html, /class="counts"><span class="met">\d+ met<\/span>/);
  assertMatch(html, /class="meta">.*backend <b>wasm<\/b>/);
  for (const f of files.filter((f) => f.endsWith(".svg"))) {
    assertOk(html.includes(`src="${f.slice(7)}"`), f);
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeReport() writes non-empty PNGs at twice the SVG size", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_report_" });
  await writeFakeSuite(
    root,
    {},
    fakeExperiments().filter((e) => e.name === "eos_toy"),
  );
  const files = await writeReport(root);
  const pngs = files.filter((f) => f.endsWith(".png"));
  assertEquals(pngs.length, 2);
  for (const f of pngs) {
    const png = await Deno.readFile(f);
    assertEquals(
      [...png.slice(0, 8)],
      [137, 80, 78, 71, 13, 10, 26, 10],
      "PNG signature",
    );
    assertOk(png.length > 5000, `${f}: ${png.length} bytes`);
    const view = new DataView(png.buffer, png.byteOffset);
    const svg = await Deno.readTextFile(f.replace(/\.png$/, ".svg"));
    const w = Number(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    assertEquals(
      view.getUint32(16),
      Math.round(2 * w),
      "PNG width = 2 × SVG width",
    );
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("experimentPlots() adds a spectrum plot when lambda_2.. columns exist and nothing when no curve was measured", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_report_" });
  const exps = fakeExperiments().filter((e) => e.name === "eos_toy");
  for (const r of exps[0].runs) {
    r.header.push("lambda_2");
    r.rows.forEach((row) => row.push(row[4] === null ? null : (row[4] as number) / 2));
  }
  await writeFakeSuite(root, {}, exps);
  const suite = await loadSuite(root);
  assertEquals(experimentPlots(suite.experiments[0]).map((p) => p.name), [
    "eos_toy.loss",
    "eos_toy.sharpness",
    "eos_toy.spectrum",
  ]);
  const bare = {
    ...suite.experiments[0],
    runs: suite.experiments[0].runs.map((r) => ({ ...r, metrics: null })),
  };
  assertEquals(experimentPlots(bare), []);
  await Deno.remove(root, { recursive: true });
});

Deno.test("reportCommand() exits 2 naming file and line on a garbled CSV", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_report_" });
  await writeFakeSuite(
    root,
    {},
    fakeExperiments().filter((e) => e.name === "grok_toy"),
  );
  await setMetric(root, "grok_toy", {}, 13, "test_acc", () => NaN);
  const path = (await loadSuite(root)).experiments[0].runs[0].dir;
  const file = `${root}/grok_toy/${path}/metrics.csv`;
  await Deno.writeTextFile(
    file,
    (await Deno.readTextFile(file)).replace(",NaN,", ",zz,"),
  );
  const io = captureIO();
  assertEquals(await reportCommand([root], io), 2);
  assertMatch(
    io.stderr.join("\n"),
    /metrics\.csv:3: column test_acc: expected a number, got "zz"/,
  );
  assertEquals(await reportCommand([], captureIO()), 2);
  await Deno.remove(root, { recursive: true });
});

Deno.test("normalizeSvgIds() renumbers clip ids in order of appearance, references included", () => {
  const svg =
    '<svg><clipPath id="clip12"/><clipPath id="clip9"/><g clip-path="url(#clip9)"/><g clip-path="url(#clip12)"/></svg>';
  assertEquals(
    normalizeSvgIds(svg),
    '<svg><clipPath id="clip1"/><clipPath id="clip2"/><g clip-path="url(#clip2)"/><g clip-path="url(#clip1)"/></svg>',
  );
});

Deno.test("compareSweepLabels() orders numbers numerically and thin() keeps the last point", () => {
  assertEquals(
    ["w=16,s=1", "w=8,s=1", "w=8,s=0", "lr=0.05"].sort(compareSweepLabels),
    [
      "lr=0.05",
      "w=8,s=0",
      "w=8,s=1",
      "w=16,s=1",
    ],
  );
  const xs = Array.from({ length: 10 }, (_, i) => i);
  assertEquals(thin(xs, 4), [0, 3, 6, 9]);
  assertEquals(thin(Array.from({ length: 11 }, (_, i) => i), 4), [
    0,
    3,
    6,
    9,
    10,
  ]);
});

Deno.test("report on a directory with no plottable runs says so and exits 2, writing nothing", async () => {
  const { runCli, tempDir, tinyExperiment, writeExperiment } = await import("./cli_helpers.ts");
  const dir = tempDir("phasebench-report-empty-");
  const f = writeExperiment(dir, {
    ...tinyExperiment("nodata"),
    task: { kind: "cifar5m", parts: [0], subset: { n: 10, seed: 1 }, testN: 5 },
  });
  const out = `${dir}/out`;
  const r = await runCli(["run", f, "--out", out, "--quiet", "--data-dir", `${dir}/none`]);
  assertEquals(r.code, 0, r.err);
  const rep = await runCli(["report", out]);
  assertEquals(rep.code, 2);
  assertMatch(rep.err, /nothing to plot: no run has measured curves/);
  let exists = true;
  try {
    Deno.statSync(`${out}/report`);
  } catch {
    exists = false;
  }
  assertOk(!exists, "no empty report");
});

Deno.test("spansDecades() is true only for positive values over more than the given decades", () => {
  assertEquals(spansDecades([0.5, 20, 38000], 2), true);
  assertEquals(spansDecades([3, 5, 10, 299], 2), false);
  assertEquals(spansDecades([3, 301, Infinity, NaN], 2), true);
  assertEquals(spansDecades([-0.1, 5, 3000], 2), false);
  assertEquals(spansDecades([0, 5, 3000], 2), false);
  assertEquals(spansDecades([], 2), false);
});

Deno.test("the sharpness plot of an Adam run without a preconditioned λ_max takes a log axis when its critical value is decades above λ_max", async () => {
  const root = await Deno.makeTempDir({ prefix: "phasebench_report_" });
  // as grokking_transformer logs it: λ_max 0.5–25, critical (2+2β₁)/((1−β₁)η) = 38,000
  const rows = [0, 1000, 2000].map((s, i) => [s, 1e-3, [0.5, 25, 3][i], 38000]);
  const adam: FakeExperiment = {
    name: "adam_toy",
    config: { name: "adam_toy", optimizer: { kind: "adam", lr: 1e-3 } },
    runs: [{
      params: { seed: 1 },
      header: ["step", "lr", "lambda_max", "critical_sharpness"],
      rows,
    }],
  };
  await writeFakeSuite(root, {}, [adam]);
  const plot = (s: Awaited<ReturnType<typeof loadSuite>>) =>
    experimentPlots(s.experiments[0]).find((p) => p.name.endsWith(".sharpness"))!;
  const y = (
    s: Awaited<ReturnType<typeof loadSuite>>,
  ) => ((plot(s).spec.spec as Record<string, Record<string, Record<string, unknown>>>).encoding.y);
  assertEquals((y(await loadSuite(root)).scale as { type?: string }).type, "log");
  // the GD toy's λ_max rises to 2/η: one decade, a linear axis
  const gd = `${root}/gd`;
  await writeFakeSuite(gd, {}, fakeExperiments().filter((e) => e.name === "eos_toy"));
  assertEquals((y(await loadSuite(gd)).scale as { type?: string }).type, undefined);
  await Deno.remove(root, { recursive: true });
});
