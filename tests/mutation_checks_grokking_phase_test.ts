/**
 * Specification tests of grokking_phase and grokking_time_scaling at their
 * thresholds, written against the mutants StrykerJS found alive
 * (`deno task mutation`). Grokking times are planted exactly.
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import { classifyGrokking, grokkingPhaseCheck } from "../core/checks/grokking_phase.ts";
import { grokkingTimeScalingCheck, t975 } from "../core/checks/grokking_time_scaling.ts";
import { fmt } from "../core/checks/common.ts";
import { grokTimes } from "../core/checks/grokking.ts";
import { fitLine, mean, sd } from "../core/checks/stats.ts";
import { assertEquals } from "./assert.ts";

/** Train accuracy 1 from `tFit`, test accuracy 1 from `tGen` (never when null), at 0.1 before. */
function grokRun(
  tFit: number | null,
  tGen: number | null,
  info: Record<string, string> = {},
  id = "g/r",
  end = 1000,
): RunData {
  const rows = ["step,train_acc,test_acc"];
  const steps = new Set([
    0,
    end,
    ...(tFit === null ? [] : [tFit]),
    ...(tGen === null ? [] : [tGen]),
  ]);
  for (const s of [...steps].sort((a, b) => a - b)) {
    const train = tFit !== null && s >= tFit ? 1 : 0.5;
    const test = tGen !== null && s >= tGen ? 1 : 0.125;
    rows.push(`${s},${train},${test}`);
  }
  return { id, status: "ok", info, metrics: tableFromCsv(rows.join("\n"), `${id}.csv`) };
}

const phaseOf = (r: RunData, options = {}) =>
  grokkingPhaseCheck.evaluate({ experiment: "p", runs: [r] }, options)[0];

Deno.test("grokking_phase: ratio exactly 3 is grokking, and every outcome field is exact", () => {
  const o = phaseOf(grokRun(100, 300));
  assertEquals(o, {
    run: "g/r",
    statistic: "phase (value: t_gen/t_fit)",
    expected: "grokking",
    tolerance: "grokking: t_gen/t_fit >= 3, test acc at t_fit <= 0.5",
    value: 3,
    verdict: "pass",
    detail:
      "grokking (phase 1): t_fit = 100, t_gen = 300, t_gen/t_fit = 3, test acc at t_fit = 0.125",
  });
  const c = phaseOf(grokRun(100, 299), { phase: "comprehension" });
  assertEquals([c.verdict, c.expected, c.detail], [
    "pass",
    "comprehension",
    "comprehension (phase 0): t_fit = 100, t_gen = 299, t_gen/t_fit = 2.99, test acc at t_fit = 0.125",
  ]);
  assertEquals(phaseOf(grokRun(100, 299)).verdict, "fail");
  // test accuracy at t_fit at the bound (0.125) is still memorised; above it is not
  assertEquals(phaseOf(grokRun(100, 300), { maxTestAtFit: 0.125 }).verdict, "pass");
  assertEquals(phaseOf(grokRun(100, 300), { maxTestAtFit: 0.0625 }).verdict, "fail");
  assertEquals(phaseOf(grokRun(0, 10)).value, Infinity);
});

Deno.test("grokking_phase: memorisation and confusion say why; the ratio option moves the edge", () => {
  const m = phaseOf(grokRun(100, null), { phase: "memorisation" });
  assertEquals([m.verdict, m.value, m.detail], [
    "pass",
    null,
    "memorisation (phase 2): t_fit = 100; test accuracy never reached 0.95 (max 0.125) within 1000 steps",
  ]);
  const c = phaseOf(grokRun(null, null), { phase: "confusion", trainAcc: 0.75 });
  assertEquals([c.verdict, c.detail], [
    "pass",
    "confusion (phase 3): train accuracy never reached 0.75 (max 0.5) within 1000 steps",
  ]);
  assertEquals(phaseOf(grokRun(100, 200), { ratio: 2 }).verdict, "pass");
  assertEquals(phaseOf(grokRun(100, 199), { ratio: 2 }).verdict, "fail");
  const g = classifyGrokking(
    { tFit: 10, tGen: 40, testAtFit: null, maxTest: null, maxTrain: 1, lastStep: 40 },
    {},
  );
  assertEquals([g.phase, g.ratio], ["grokking", 4]);
  const bad = grokkingPhaseCheck.evaluate({ experiment: "p", runs: [grokRun(1, 5)] }, {
    phase: "x",
  });
  assertEquals([bad.length, bad[0].run, bad[0].verdict], [1, "*", "skip"]);
  assertEquals(
    bad[0].detail.includes(
      'expected one of comprehension, grokking, memorisation, confusion, got "x"',
    ),
    true,
  );
  assertEquals(phaseOf({ ...grokRun(1, 5), status: "diverged", info: {} }).detail, "run diverged");
  const noAcc = phaseOf({ id: "r", status: "ok", info: {}, metrics: null });
  assertEquals([noAcc.verdict, noAcc.detail], [
    "skip",
    "no train_acc column: accuracy was not measured",
  ]);
  const ok = (o: Record<string, unknown>) => grokkingPhaseCheck.optionsSchema!.safeParse(o).success;
  assertEquals(
    [ok({ trainAcc: 1.5 }), ok({ testAcc: -1 }), ok({ maxTestAtFit: 2 }), ok({ ratio: 0 })],
    [false, false, false, false],
  );
  assertEquals(
    ok({ phase: "memorisation", trainAcc: 1, testAcc: 0, maxTestAtFit: 1, ratio: 2 }),
    true,
  );
});

Deno.test("t975: Student-t quantiles for df 1…30, 1.96 beyond, ∞ below 1", () => {
  assertEquals([t975(0), t975(1), t975(2), t975(30), t975(31)], [
    Infinity,
    12.706,
    4.303,
    2.042,
    1.96,
  ]);
});

/** Runs with delay t_gen − t_fit = c / (lr·λ) at each λ, t_fit = 100. */
function scalingRuns(
  seeds: { seed: string; c: number; power?: number }[],
  lambdas = [0.25, 0.5, 1],
  lr = 1,
): RunData[] {
  const runs: RunData[] = [];
  for (const { seed, c, power } of seeds) {
    for (const lam of lambdas) {
      const delay = Math.round(c * (lr * lam) ** -(power ?? 1));
      runs.push(grokRun(
        100,
        100 + delay,
        {
          "optimizer.weightDecay": String(lam),
          lr: String(lr),
          seed,
        },
        `s/${seed}-${lam}`,
        100 + delay + 100,
      ));
    }
  }
  return runs;
}

const scale = (runs: RunData[], options = {}) =>
  grokkingTimeScalingCheck.evaluate({ experiment: "s", runs }, options)[0];

Deno.test("grokking_time_scaling: the exact detail of a −1 law, and its frame", () => {
  // delays 800/400/200 and 1600/800/400 and 400/200/100: every seed's slope is −1
  const o = scale(
    scalingRuns([{ seed: "1", c: 200 }, { seed: "2", c: 400 }, { seed: "10", c: 100 }]),
  );
  assertEquals(
    o.statistic,
    "mean per-seed slope of ln(t_gen - t_fit) vs ln(lr*optimizer.weightDecay)",
  );
  assertEquals([o.expected, o.tolerance], ["95% CI contains -1", "CI half-width <= 0.25"]);
  assertEquals([o.verdict, Math.round(o.value! * 1e9) / 1e9], ["pass", -1]);
  assertEquals(
    o.detail.replace(/-?\d+\.\d{3}(?=[,)\] ;])/g, (v) => String(Math.round(Number(v)))),
    "slope -1, 95% CI [-1, -1] over 3 seeds (seed 1: -1, seed 2: -1, seed 10: -1; pooled -1); " +
      "t_gen - t_fit by optimizer.weightDecay: 0.25: 800/1600/400; 0.5: 400/800/200; 1: 200/400/100",
  );
  const tgen = scale(
    scalingRuns([{ seed: "1", c: 200 }, { seed: "2", c: 400 }, { seed: "3", c: 100 }]),
    {
      time: "tgen",
    },
  );
  assertEquals(tgen.statistic, "mean per-seed slope of ln(t_gen) vs ln(lr*optimizer.weightDecay)");
  assertEquals(tgen.detail.includes("t_gen by optimizer.weightDecay: 0.25: 900/1700/500"), true);
  assertEquals(tgen.verdict, "fail"); // t_gen includes t_fit = 100: shallower than −1
});

Deno.test("grokking_time_scaling: CI containment and precision at their bounds", () => {
  // slopes −1, −0.5, −1.5 (delay ∝ (ηλ)^−p): mean −1, sd 0.5, half-width 4.303·0.5/√3
  const runs = scalingRuns([
    { seed: "1", c: 256, power: 1 },
    { seed: "2", c: 256, power: 0.5 },
    { seed: "3", c: 256, power: 1.5 },
  ], [0.25, 1, 4]);
  const o = scale(runs, { tolerance: 10 });
  const half = 4.303 * 0.5 / Math.sqrt(3);
  assertEquals(o.verdict, "pass");
  assertEquals(Math.abs(o.value! + 1) < 1e-3, true);
  assertEquals(
    o.detail.startsWith(
      `slope -1, 95% CI [${fmt(-1 - half, 3)}, ${
        fmt(-1 + half, 3)
      }] over 3 seeds (seed 1: -1, seed 2: -0.5, seed 3: -1.5; pooled -1); ` +
        "t_gen - t_fit by optimizer.weightDecay: 0.25: 1024/512/2048; 1: 256/256/256; 4: 64/128/32",
    ),
    true,
  );
  // tolerance just under the half-width fails and says so
  const tight = scale(runs, { tolerance: 1.2 });
  assertEquals(tight.verdict, "fail");
  assertEquals(tight.detail.includes(`(CI half-width ${fmt(half, 3)} > 1.2)`), true);
  // a wanted slope outside the CI
  const far = scale(runs, { tolerance: 10, slope: -3 });
  assertEquals([far.verdict, far.detail.includes("(CI excludes -3)")], ["fail", true]);
  const near = scale(runs, { tolerance: 10, slope: -1 - half + 1e-3 });
  assertEquals(near.verdict, "pass");
  const both = scale(runs, { tolerance: 1, slope: 5 });
  assertEquals(both.detail.includes(`(CI excludes 5; CI half-width ${fmt(half, 3)} > 1)`), true);
});

Deno.test("grokking_time_scaling: seeds need minLevels levels; censored, diverged and λ ≤ 0 runs", () => {
  const runs = scalingRuns([{ seed: "1", c: 200 }, { seed: "2", c: 400 }, { seed: "3", c: 100 }]);
  assertEquals(scale(runs, { minLevels: 3 }).verdict, "pass");
  const four = scale(runs, { minLevels: 4 });
  assertEquals([four.verdict, four.value], ["skip", null]);
  assertEquals(
    four.detail,
    "0 seeds grok at ≥ 4 levels of optimizer.weightDecay (need ≥ 3); times by level 0.25: 800/1600/400; 0.5: 400/800/200; 1: 200/400/100",
  );
  assertEquals(scale(runs, { minSeeds: 4 }).verdict, "skip");
  const extra = [
    grokRun(100, null, { "optimizer.weightDecay": "2", seed: "1" }, "s/never"),
    {
      ...grokRun(100, 150, { "optimizer.weightDecay": "2", seed: "2" }, "s/div"),
      status: "diverged" as const,
    },
    grokRun(100, 150, { "optimizer.weightDecay": "0", seed: "1" }, "s/zero"),
    grokRun(100, 150, { seed: "1" }, "s/none"),
    grokRun(200, 100, { "optimizer.weightDecay": "4", seed: "3" }, "s/early"),
  ];
  const o = scale([...runs, ...extra]);
  assertEquals(o.verdict, "pass");
  assertEquals(
    o.detail.endsWith(
      "; no grokking (censored): optimizer.weightDecay=2,seed=1, optimizer.weightDecay=2,seed=2 (diverged), optimizer.weightDecay=4,seed=3",
    ),
    true,
  );
  // the seed defaults to the run id; lr defaults to 1
  const noSeed = runs.map((r) => ({
    ...r,
    info: { "optimizer.weightDecay": r.info["optimizer.weightDecay"] },
  }));
  const ns = scale(noSeed, { minLevels: 1 });
  assertEquals(ns.verdict, "fail");
  assertEquals(
    ns.detail.startsWith(
      "slope nan, 95% CI [nan, nan] over 9 seeds (seed s/1-0.5: nan, seed s/1-0.25: nan, ",
    ),
    true,
  );
  const ok = (o: Record<string, unknown>) =>
    grokkingTimeScalingCheck.optionsSchema!.safeParse(o).success;
  assertEquals([ok({ minSeeds: 2 }), ok({ minSeeds: 1 }), ok({ minLevels: 1 }), ok({ axis: "" })], [
    true,
    false,
    false,
    false,
  ]);
  assertEquals([
    ok({ trainAcc: 2 }),
    ok({ testAcc: -1 }),
    ok({ time: "tgen", trainAcc: 0, testAcc: 1 }),
  ], [
    false,
    false,
    true,
  ]);
});

Deno.test("grokking_phase: fitted and generalised at step 0 is an infinite ratio", () => {
  const g = classifyGrokking(
    { tFit: 0, tGen: 0, testAtFit: 1, maxTest: { value: 1, step: 0 }, maxTrain: 1, lastStep: 0 },
    {},
  );
  assertEquals([g.phase, g.ratio], ["comprehension", Infinity]);
});

Deno.test("grokking_time_scaling: η·λ from runs.csv lr, levels sorted, every censored case", () => {
  // one λ = 1 per run, η = 0.25, 0.5, 1 per seed: delays 200/(η·λ)
  const runs: RunData[] = [];
  for (const seed of ["1", "2", "3"]) {
    for (const lr of [0.25, 0.5, 1]) {
      runs.push(grokRun(
        100,
        100 + 200 / lr,
        {
          "optimizer.weightDecay": "1",
          lr: String(lr),
          seed,
        },
        `s/${seed}-${lr}`,
        1200,
      ));
    }
  }
  const o = scale(runs);
  assertEquals(Math.round(o.value! * 1e9) / 1e9, -1);
  // levels print sorted by λ whatever the run order
  const shuffled = scalingRuns([{ seed: "1", c: 200 }, { seed: "2", c: 400 }, {
    seed: "3",
    c: 100,
  }], [
    1,
    0.25,
    0.5,
  ]);
  assertEquals(
    scale(shuffled).detail.endsWith(
      "t_gen - t_fit by optimizer.weightDecay: 0.25: 800/1600/400; 0.5: 400/800/200; 1: 200/400/100",
    ),
    true,
  );
  const base = scalingRuns([{ seed: "1", c: 200 }, { seed: "2", c: 400 }, { seed: "3", c: 100 }]);
  const wd = { "optimizer.weightDecay": "2" };
  const extra: RunData[] = [
    { id: "s/noacc", status: "ok", info: { ...wd, seed: "7" }, metrics: null },
    grokRun(null, 300, { ...wd, seed: "8" }, "s/nofit"),
    grokRun(300, 300, { ...wd, seed: "9" }, "s/same"),
  ];
  assertEquals(
    scale([...base, ...extra]).detail.endsWith(
      "; no grokking (censored): optimizer.weightDecay=2,seed=7, optimizer.weightDecay=2,seed=8, optimizer.weightDecay=2,seed=9",
    ),
    true,
  );
  const ok = (o: Record<string, unknown>) =>
    grokkingTimeScalingCheck.optionsSchema!.safeParse(o).success;
  assertEquals([ok({ trainAcc: 0.5 }), ok({ testAcc: 0.5 })], [true, true]);
});

Deno.test("grokking_time_scaling: the CI bounds and the precision bound are inclusive", () => {
  const runs = scalingRuns([
    { seed: "1", c: 256, power: 1 },
    { seed: "2", c: 256, power: 0.5 },
    { seed: "3", c: 256, power: 1.5 },
  ], [0.25, 1, 4]);
  // the same arithmetic as the check: per-seed slopes of ln(delay) on ln(η·λ)
  const slopes = ["1", "2", "3"].map((seed) => {
    const mine = runs.filter((r) => r.info.seed === seed);
    const x = mine.map((r) => Math.log(Number(r.info["optimizer.weightDecay"])));
    const y = mine.map((r) => {
      const t = grokTimes(r, {}) as { tFit: number; tGen: number };
      return Math.log(t.tGen - t.tFit);
    });
    return fitLine(x, y).slope;
  });
  const m = mean(slopes), half = t975(2) * sd(slopes) / Math.sqrt(3);
  assertEquals(scale(runs, { tolerance: 10, slope: m - half }).verdict, "pass");
  assertEquals(scale(runs, { tolerance: 10, slope: m + half }).verdict, "pass");
  assertEquals(scale(runs, { tolerance: half, slope: m }).verdict, "pass");
  assertEquals(scale(runs, { tolerance: half * (1 - 1e-12), slope: m }).verdict, "fail");
});
