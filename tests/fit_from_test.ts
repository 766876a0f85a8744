/**
 * `budget.computeOptimal.fitFrom`: a ladder whose horizons come from another
 * experiment's compute_optimal_horizon fit, resolved by the suite.
 */
import { assertClose, assertEquals, assertMatch } from "./assert.ts";
import { tempDir, writeExperiment } from "./cli_helpers.ts";
import { runSuite } from "../core/train/suite.ts";
import { horizonExponent, optimalHorizon } from "../data/powerlaw.ts";

const LAW = { L0: 0.02, A: 5, mu: 0.5, B: 5, nu: 0.52 };
const SIZES = [3, 3.5, 4, 4.5, 5].map((e) => 10 ** e);

Deno.test("fitFrom takes γ and κ from the source experiment's horizon fit and trains to t*(p)", async () => {
  const dir = tempDir();
  const source = writeExperiment(dir, {
    name: "src_horizon",
    task: { kind: "powerlaw-curve", ...LAW, params: SIZES[0], points: 400, spacing: "log" },
    budget: { steps: 1e7 },
    sweep: { "task.params": SIZES },
    checks: [{ name: "compute_optimal_horizon", options: { expectedGamma: horizonExponent(LAW) } }],
  });
  const ladder = writeExperiment(dir, {
    name: "dep_ladder",
    task: {
      kind: "powerlaw-curve",
      ...LAW,
      params: SIZES[0],
      noise: { sigma: 0.003, correlation: 1 },
    },
    budget: { computeOptimal: { fitFrom: "src_horizon" } },
    sweep: { "task.params": SIZES, seed: [1, 2, 3, 4, 5] },
    checks: [{ name: "collapse", options: { l0: LAW.L0 } }],
  });
  const out = `${dir}/out`;
  const r = await runSuite({
    files: [ladder, source], // order does not matter: dependents run last
    profile: "quick",
    sets: [],
    backend: "cpu",
    out,
    jobs: 1,
    force: false,
    quiet: true,
    suite: "t",
  });
  const runs = Deno.readTextFileSync(`${out}/dep_ladder/runs.csv`).trim().split("\n");
  const header = runs[0].split(",");
  const stepsCol = header.indexOf("steps"), pCol = header.indexOf("n_params");
  for (const line of runs.slice(1)) {
    const cells = line.match(/("[^"]*"|[^,]+|(?<=,)(?=,))/g)!;
    const p = Number(cells[pCol]);
    assertClose(Number(cells[stepsCol]), optimalHorizon(LAW, p), 0.02, `t*(${p})`);
  }
  const collapse = r.verify!.rows.find((c) => c.experiment === "dep_ladder")!;
  assertEquals(collapse.verdict, "pass", collapse.detail);
});

Deno.test("fitFrom naming an experiment outside the suite is an error naming the field", async () => {
  const dir = tempDir();
  const ladder = writeExperiment(dir, {
    name: "lonely",
    task: { kind: "powerlaw-curve", ...LAW, params: 1000 },
    budget: { computeOptimal: { fitFrom: "nowhere" } },
  });
  let message = "";
  try {
    await runSuite({
      files: [ladder],
      profile: "quick",
      sets: [],
      backend: "cpu",
      out: `${dir}/o`,
      jobs: 1,
      force: false,
      quiet: true,
      suite: "t",
    });
  } catch (e) {
    message = (e as Error).message;
  }
  assertMatch(
    message,
    /lonely: budget\.computeOptimal\.fitFrom: expected an experiment of this suite, got "nowhere"/,
  );
});
