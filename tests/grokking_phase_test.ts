import { Table } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import type { LoadedExperiment, LoadedRun } from "../core/results/load.ts";
import { classifyGrokking, grokkingPhaseCheck } from "../core/checks/grokking_phase.ts";
import { grokkingTimeScalingCheck, t975 } from "../core/checks/grokking_time_scaling.ts";
import { gramEdgeStats } from "../core/spectral/gram_edge.ts";
import { grokkingPhasePlots, phaseCells } from "../core/report/grokking_phase.ts";
import { checkOptionsProblem } from "../core/checks/evaluate.ts";
import { assertClose, assertEquals, assertMatch } from "./assert.ts";

/** A run evaluated every 10 steps: train acc jumps to 1 at `fit`, test acc to 1 at `gen`. */
function stepRun(
  id: string,
  fit: number | null,
  gen: number | null,
  info: Record<string, string> = {},
  end = 1000,
  testAtFit = 0.01,
): LoadedRun {
  const step: number[] = [], tr: number[] = [], te: number[] = [];
  for (let s = 0; s <= end; s += 10) {
    step.push(s);
    tr.push(fit !== null && s >= fit ? 1 : 0.5);
    te.push(gen !== null && s >= gen ? 1 : testAtFit);
  }
  const cols = { step, train_acc: tr, test_acc: te };
  return {
    id,
    dir: id,
    status: "ok",
    info,
    metrics: new Table(`${id}.csv`, Object.keys(cols), cols, step.length),
  };
}

const phaseOf = (r: RunData, options = {}) =>
  grokkingPhaseCheck.evaluate({ experiment: "p", runs: [r] }, options)[0];

// ------------------------------------------------------------ grokking_phase

Deno.test("grokking_phase labels the four phases with their numbers", () => {
  const g = phaseOf(stepRun("g", 100, 600));
  assertEquals(g.verdict, "pass");
  assertEquals(
    g.detail,
    "grokking (phase 1): t_fit = 100, t_gen = 600, t_gen/t_fit = 6, test acc at t_fit = 0.01",
  );
  assertEquals(g.value, 6);
  assertMatch(
    phaseOf(stepRun("c", 100, 150)).detail,
    /^comprehension \(phase 0\): .*t_gen\/t_fit = 1\.5/,
  );
  assertMatch(
    phaseOf(stepRun("m", 100, null)).detail,
    /^memorisation \(phase 2\): t_fit = 100; test accuracy never reached 0\.95 \(max 0\.01\) within 1000 steps/,
  );
  assertMatch(
    phaseOf(stepRun("x", null, null)).detail,
    /^confusion \(phase 3\): train accuracy never reached 0\.99 \(max 0\.5\)/,
  );
  assertEquals(phaseOf(stepRun("m", 100, null)).verdict, "fail");
  assertEquals(phaseOf(stepRun("m", 100, null), { phase: "memorisation" }).verdict, "pass");
});

Deno.test("grokking_phase: the delay threshold 3 and the test accuracy at t_fit, at and near the edges", () => {
  // t_gen/t_fit = 300/100 = 3 exactly → grokking; 290/100 → comprehension
  assertMatch(phaseOf(stepRun("a", 100, 300)).detail, /^grokking/);
  assertMatch(phaseOf(stepRun("b", 100, 290)).detail, /^comprehension/);
  // a long delay with test acc 0.5 at t_fit is still grokking; 0.51 is comprehension (generalised while fitting)
  assertMatch(phaseOf(stepRun("c", 100, 600, {}, 1000, 0.5)).detail, /^grokking/);
  assertMatch(phaseOf(stepRun("d", 100, 600, {}, 1000, 0.51)).detail, /^comprehension/);
});

Deno.test("classifyGrokking agrees with the grokking check's numbers", () => {
  const p = classifyGrokking({
    tFit: 90,
    tGen: 580,
    testAtFit: 0.016,
    maxTest: { value: 1, step: 600 },
    maxTrain: 1,
    lastStep: 1000,
  }, {});
  assertEquals(p.phase, "grokking");
  assertClose(p.ratio!, 580 / 90, 1e-12);
});

Deno.test("grokking_phase options are strict", () => {
  assertEquals(checkOptionsProblem(grokkingPhaseCheck, { phase: "grokking" }), null);
  assertMatch(
    checkOptionsProblem(grokkingPhaseCheck, { phse: "grokking" })!,
    /unknown option "phse"/,
  );
  assertMatch(checkOptionsProblem(grokkingPhaseCheck, { phase: "groking" })!, /option phase/);
});

// ----------------------------------------------------- grokking_time_scaling

/** Runs whose delay t_gen − t_fit = c·λ^slope (t_fit = 100), per seed c. */
function lawRuns(slope: number, cs: number[], wds = [0.3, 1, 3]): LoadedRun[] {
  const runs: LoadedRun[] = [];
  cs.forEach((c, k) => {
    for (const wd of wds) {
      const delay = Math.round(c * wd ** slope / 10) * 10;
      runs.push(
        stepRun(`w${wd}s${k}`, 100, 100 + delay, {
          "optimizer.weightDecay": String(wd),
          seed: String(k + 1),
          lr: "0.003",
        }, 20000),
      );
    }
  });
  return runs;
}

const scaling = (runs: RunData[], options = {}) =>
  grokkingTimeScalingCheck.evaluate({ experiment: "s", runs }, options)[0];

Deno.test("grokking_time_scaling passes on delays ∝ 1/λ and fails on delays ∝ λ^-0.5", () => {
  const good = scaling(lawRuns(-1, [400, 420, 380]));
  assertEquals(good.verdict, "pass", good.detail);
  assertClose(good.value!, -1, 0.03); // rounding the delays to 10 steps
  const half = scaling(lawRuns(-0.5, [400, 420, 380]));
  assertEquals(half.verdict, "fail");
  assertClose(half.value!, -0.5, 0.05);
  assertMatch(half.detail, /CI excludes -1/);
});

Deno.test("grokking_time_scaling: a CI wider than the tolerance fails even when it contains −1", () => {
  // seeds with slopes −0.6, −1, −1.4 (sd 0.4, half-width 4.303·0.4/√3 ≈ 0.99; 1.01 after rounding)
  const runs: LoadedRun[] = [];
  [-0.6, -1, -1.4].forEach((slope, k) =>
    runs.push(
      ...lawRuns(slope, [1000]).map((r) => ({
        ...r,
        id: `${r.id}k${k}`,
        info: { ...r.info, seed: String(k + 1) },
      })),
    )
  );
  const o = scaling(runs);
  assertEquals(o.verdict, "fail", o.detail);
  assertMatch(o.detail, /CI half-width 1\.01 > 0\.25/);
  assertEquals(scaling(runs, { tolerance: 1.2 }).verdict, "pass");
});

Deno.test("grokking_time_scaling censors runs that never grok and skips with too few seeds", () => {
  const runs = lawRuns(-1, [400, 420, 380]);
  runs[0] = stepRun("w0.3s0", 100, null, runs[0].info, 20000); // seed 1 has only 2 levels left
  const o = scaling(runs);
  assertEquals(o.verdict, "skip");
  assertMatch(
    o.detail,
    /^2 seeds grok at ≥ 3 levels .*no grokking \(censored\): optimizer\.weightDecay=0\.3,seed=1/,
  );
  assertEquals(scaling(runs, { minSeeds: 2 }).verdict, "pass");
});

Deno.test("grokking_time_scaling: λ = 0 is left out of the log axis; t_gen option", () => {
  const runs = lawRuns(-1, [400, 420, 380], [0, 0.3, 1, 3]);
  const o = scaling(runs, { time: "tgen" });
  assertMatch(o.statistic, /ln\(t_gen\) vs/);
  // t_gen = 100 + delay flattens the slope (−0.795 for c = 400: t_gen 1430, 500, 230)
  assertEquals(o.value! > -0.85 && o.value! < -0.75, true, o.detail);
  assertEquals(t975(2), 4.303);
  assertEquals(t975(100), 1.96);
});

// ------------------------------------------------ update-Gram scale-free edge

Deno.test("gramEdgeStats gives σ₂/σ₃ and g₂₃/trace, both invariant to the size of the updates", () => {
  const st = gramEdgeStats(new Float64Array([9, 0, 0, 0, 4, 0, 0, 0, 0.01]), 3);
  assertClose(st.s23!, 20, 1e-9);
  assertClose(st.g23Rel!, 3.99 / 13.01, 1e-9);
  const scaled = gramEdgeStats(
    new Float64Array([9, 0, 0, 0, 4, 0, 0, 0, 0.01].map((v) => v * 1e-6)),
    3,
  );
  assertClose(scaled.s23!, 20, 1e-9);
  assertClose(scaled.g23Rel!, st.g23Rel!, 1e-9);
  // σ₃ = 0: the ratio is undefined
  assertEquals(gramEdgeStats(new Float64Array([4, 0, 0, 0, 1, 0, 0, 0, 0]), 3).s23, null);
});

// ------------------------------------------------------- phase-diagram plot

Deno.test("phaseCells: one cell per (λ, fraction), majority phase, median ratio, base cell outlined", () => {
  const runs: LoadedRun[] = [];
  const info = (wd: number, f: number, seed: number) => ({
    "optimizer.weightDecay": String(wd),
    "task.trainFraction": String(f),
    seed: String(seed),
  });
  runs.push(stepRun("a1", 100, 600, info(1, 0.4, 1)), stepRun("a2", 100, 400, info(1, 0.4, 2)));
  runs.push(stepRun("a3", 100, null, info(1, 0.4, 3)));
  runs.push(stepRun("b1", 100, 150, info(0, 0.6, 1)));
  runs.push(stepRun("c1", null, null, info(10, 0.3, 1)));
  const exp: LoadedExperiment = {
    name: "gp",
    config: {
      optimizer: { weightDecay: 1 },
      task: { trainFraction: 0.4 },
      sweep: {
        "optimizer.weightDecay": [0, 1, 10],
        "task.trainFraction": [0.3, 0.4, 0.6],
        seed: [1, 2, 3],
      },
      checks: [{ name: "grokking_phase", expect: "report" }],
    },
    runsCsv: null,
    runs,
  };
  const d = phaseCells(exp)!;
  assertEquals(d.axes, ["optimizer.weightDecay", "task.trainFraction"]);
  assertEquals(
    d.cells.map((c) => [c.x, c.y, c.phase, c.ratio, c.n, c.base]),
    [
      ["0", "0.6", "comprehension", 1.5, 1, false],
      ["1", "0.4", "grokking", 5, 3, true],
      ["10", "0.3", "confusion", null, 1, false],
    ],
  );
  assertEquals(grokkingPhasePlots(exp).map((p) => p.name), ["gp.phase", "gp.ratio"]);
  // no grokking_phase check: no plot
  assertEquals(grokkingPhasePlots({ ...exp, config: { ...exp.config as object, checks: [] } }), []);
});
