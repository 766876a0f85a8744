/**
 * End to end: powerlaw-curve ladders written as experiment JSON, run through
 * the CLI into temporary folders, judged by the checks from the files on disk.
 *
 * The law L(t, p) = L0 + A t^-μ + B p^-ν with μ = 0.5, ν = 1, A = 2, B = 1
 * has r = ν/μ = 2, γ* = 2 and κ = (μA/(νB))^(1/μ) = 1, so the optimal horizon
 * t*(p) = p² is a whole number of steps for integer p and the runner's
 * rounding changes nothing: the normalised curve is exactly
 * (r x^-μ + 1)/(r + 1) at every measured step. L0 is small against the
 * reducible loss (L/(L − L0) ≤ 1.14) so the multiplicative noise gives every
 * size about the same noise floor.
 * @module
 */
import { parseCsv } from "../core/results/csv.ts";
import { readTable } from "../core/results/table.ts";
import { runCli, tempDir, writeExperiment } from "./cli_helpers.ts";
import { assertEquals, assertOk } from "./assert.ts";

const LAW = { L0: 0.005, A: 2, mu: 0.5, B: 1, nu: 1 };
const R = LAW.nu / LAW.mu;
const GAMMA_STAR = LAW.nu / LAW.mu;
const KAPPA = (LAW.mu * LAW.A / (LAW.nu * LAW.B)) ** (1 / LAW.mu);
const SIZES = [10, 20, 40, 80];
/** The bad ladder's horizon is exact at the geometric middle size. */
const P_MID = Math.sqrt(SIZES[0] * SIZES[SIZES.length - 1]);

function ladder(
  name: string,
  gamma: number,
  noise: boolean,
  expect: "holds" | "fails",
): Record<string, unknown> {
  return {
    name,
    task: {
      kind: "powerlaw-curve",
      ...LAW,
      params: SIZES[0],
      points: 60,
      ...(noise ? { noise: { sigma: 0.003, correlation: 1 } } : {}),
    },
    budget: {
      computeOptimal: { gamma, kappa: KAPPA * P_MID ** (GAMMA_STAR - gamma), minSteps: 1 },
    },
    sweep: { "task.params": SIZES, seed: noise ? [1, 2, 3] : [1] },
    checks: noise ? [{ name: "collapse", expect }] : [],
  };
}

interface CheckRow {
  verdict: string;
  outcome: string;
  value: number;
  detail: string;
}

const tempDirs: string[] = [];

function cleanUp(): void {
  for (const d of tempDirs.splice(0)) Deno.removeSync(d, { recursive: true });
}

async function runLadder(exp: Record<string, unknown>): Promise<string> {
  const dir = tempDir("phasebench-collapse-e2e-");
  tempDirs.push(dir);
  const file = writeExperiment(dir, exp);
  const out = `${dir}/out`;
  const r = await runCli(["run", file, "--out", out, "--backend", "cpu", "--jobs", "1", "--quiet"]);
  assertEquals(r.code, 0, `cli exit code (stderr: ${r.err})`);
  return out;
}

async function collapseRow(out: string, experiment: string): Promise<CheckRow> {
  const file = `${out}/checks.csv`;
  const { header, rows } = parseCsv(await Deno.readTextFile(file), file);
  const col = (name: string) => header.indexOf(name);
  const row = rows.find((r) =>
    r[col("experiment")] === experiment && r[col("check")] === "collapse"
  );
  assertOk(row, `no collapse row for ${experiment} in ${file}`);
  return {
    verdict: row[col("verdict")],
    outcome: row[col("outcome")],
    value: Number(row[col("value")]),
    detail: row[col("detail")],
  };
}

function medianDelta(detail: string): number {
  const m = detail.match(/median Δ = ([0-9.e+-]+)/);
  assertOk(m, `no median Δ in "${detail}"`);
  return Number(m[1]);
}

Deno.test("collapse holds at the optimal horizon exponent and fails at 1.2·γ* (through the CLI)", async () => {
  const goodOut = await runLadder(ladder("e2e_good", GAMMA_STAR, true, "holds"));
  const badOut = await runLadder(ladder("e2e_bad", 1.2 * GAMMA_STAR, true, "fails"));
  const good = await collapseRow(goodOut, "e2e_good");
  const bad = await collapseRow(badOut, "e2e_bad");
  cleanUp();
  assertEquals(good.verdict, "pass", good.detail);
  assertEquals(good.outcome, "met");
  assertOk(good.value <= 1.5, good.detail);
  assertEquals(bad.verdict, "fail", bad.detail);
  assertEquals(bad.outcome, "met", "the negative control counts as met when it fails");
  assertOk(bad.value > 1.5, bad.detail);
  assertOk(
    medianDelta(bad.detail) >= 2 * medianDelta(good.detail),
    `bad γ should be clearly worse: ${bad.detail} vs ${good.detail}`,
  );
});

Deno.test("noise-free curves at t* = p² normalise to (r x^-μ + 1)/(r + 1) to 1e-9", async () => {
  const name = "e2e_exact";
  const out = await runLadder(ladder(name, GAMMA_STAR, false, "holds"));
  const runsFile = `${out}/${name}/runs.csv`;
  const { header, rows } = parseCsv(await Deno.readTextFile(runsFile), runsFile);
  assertEquals(rows.length, SIZES.length);
  const seen: number[] = [];
  for (const row of rows) {
    const p = Number(row[header.indexOf("n_params")]);
    const steps = Number(row[header.indexOf("steps")]);
    assertEquals(steps, p * p, "t*(p) = κ·p^γ* = p²");
    seen.push(p);
    const m = await readTable(`${out}/${name}/${row[header.indexOf("dir")]}/metrics.csv`);
    const step = m.column("step") as number[];
    const loss = m.column("train_loss") as number[];
    assertEquals(step[step.length - 1], steps);
    const final = loss[loss.length - 1];
    let worst = 0;
    for (let i = 0; i < step.length; i++) {
      const x = step[i] / steps;
      const ell = (loss[i] - LAW.L0) / (final - LAW.L0);
      const exact = (R * x ** -LAW.mu + 1) / (R + 1);
      worst = Math.max(worst, Math.abs(ell - exact) / exact);
    }
    assertOk(worst <= 1e-9, `p = ${p}: max relative error ${worst}`);
  }
  cleanUp();
  assertEquals(seen.sort((a, b) => a - b), SIZES);
});

Deno.test("collapse paired with its matched control in one experiment (through the CLI)", async () => {
  const exp = ladder("e2e_paired", GAMMA_STAR, true, "holds");
  const control = { "budget.computeOptimal.gamma": 1.2 * GAMMA_STAR };
  exp.budget = { computeOptimal: { gamma: GAMMA_STAR, kappa: KAPPA, minSteps: 1 } };
  exp.sweep = {
    "task.params": SIZES,
    seed: [1, 2, 3, 4, 5],
    "budget.computeOptimal.gamma": [GAMMA_STAR, 1.2 * GAMMA_STAR],
  };
  exp.checks = [
    { name: "collapse", expect: "holds", options: { control } },
    { name: "collapse", expect: "fails", options: { control, subject: "control" } },
  ];
  const out = await runLadder(exp);
  const file = `${out}/checks.csv`;
  const { header, rows } = parseCsv(await Deno.readTextFile(file), file);
  cleanUp();
  const col = (name: string) => header.indexOf(name);
  assertEquals(rows.length, 2);
  const [good, ctl] = rows;
  assertEquals(good[col("verdict")], "pass", good[col("detail")]);
  assertEquals(good[col("outcome")], "met");
  assertEquals(ctl[col("verdict")], "fail", ctl[col("detail")]);
  assertEquals(ctl[col("outcome")], "met");
  const ratios = [...good[col("detail")].matchAll(/Δ ratio ([\d.]+)×/g)].map((m) => Number(m[1]));
  assertEquals(
    ratios.length,
    3,
    "the pairing is reported at both ends of the L0 interval and at L̂",
  );
  for (const r of ratios) assertOk(r >= 2, good[col("detail")]);
});
