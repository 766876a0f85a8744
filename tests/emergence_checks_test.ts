import { assertClose, assertEquals, assertMatch, assertOk } from "./assert.ts";
import { analyseEmergence, emergenceCheck, subtaskJump } from "../core/checks/emergence.ts";
import {
  changeScore,
  edgeAtEmergenceCheck,
  edgeChangeTest,
} from "../core/checks/edge_at_emergence.ts";
import { getCheck } from "../core/checks/registry.ts";
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";

const JUMP = { chance: 0.5, learnedAcc: 0.95, tail: 5 };

/**
 * Accuracy that sits at chance until `start`, then rises linearly to 1 over
 * `rise` steps: t10 = start + 0.1·rise, t50 = start + 0.5·rise,
 * t90 = start + 0.9·rise, so width = 0.8·rise and r = 0.8·rise / t50.
 */
function ramp(t: number, start: number, rise: number): number {
  if (t <= start) return 0.5;
  if (t >= start + rise) return 1;
  return 0.5 + 0.5 * (t - start) / rise;
}

/** A run whose subtask i follows ramp(start_i, rise_i); loss = ln2 → 0.01 along the same ramp. */
function runOf(
  specs: { start: number; rise: number }[],
  opts: { steps?: number; every?: number; edge?: (t: number) => number; id?: string } = {},
): RunData {
  const steps = opts.steps ?? 2000, every = opts.every ?? 10;
  const cols = ["step", "test_loss"];
  specs.forEach((_, i) => cols.push(`acc_task_${i + 1}`, `loss_task_${i + 1}`));
  if (opts.edge) cols.push("gram_s2_s3");
  const lines = [cols.join(",")];
  for (let t = 0; t <= steps; t += every) {
    const accs = specs.map((s) => ramp(t, s.start, s.rise));
    const losses = accs.map((a) => Math.LN2 - (Math.LN2 - 0.01) * (a - 0.5) / 0.5);
    const row = [t, losses.reduce((a, b) => a + b, 0) / losses.length];
    accs.forEach((a, i) => row.push(a, losses[i]));
    if (opts.edge) row.push(opts.edge(t));
    lines.push(row.join(","));
  }
  return {
    id: opts.id ?? "r",
    status: "ok",
    info: {},
    metrics: tableFromCsv(lines.join("\n") + "\n", "metrics.csv"),
  };
}

const verdict = (run: RunData, options = {}) =>
  emergenceCheck.evaluate({ experiment: "e", runs: [run] }, options)[0];

Deno.test("subtaskJump: interpolated 10/50/90% crossings of a known ramp, independent of cadence", () => {
  for (const every of [1, 10, 20, 50]) {
    const x: number[] = [], y: number[] = [];
    for (let t = 0; t <= 2000; t += every) {
      x.push(t);
      y.push(ramp(t, 600, 100));
    }
    const j = subtaskJump(1, x, y, JUMP);
    // linear between grid points, so interpolation is exact whenever the ramp spans ≥ 2 points
    if (every <= 50) {
      assertClose(j.t10!, 610, 1e-9, `every ${every}`);
      assertClose(j.t50!, 650, 1e-9);
      assertClose(j.t90!, 690, 1e-9);
      assertClose(j.ratio!, 80 / 650, 1e-9);
    }
  }
});

Deno.test("subtaskJump: chance-level noise above L10 during the plateau does not move the onset", () => {
  const x = [0, 100, 200, 300, 400, 500, 600, 700, 800];
  const y = [0.5, 0.58, 0.5, 0.49, 0.5, 1, 1, 1, 1]; // 0.58 > L10 = 0.55 at step 100
  const j = subtaskJump(1, x, y, JUMP);
  assertClose(j.t10!, 410, 1e-9);
  assertClose(j.t50!, 450, 1e-9);
  assertClose(j.t90!, 490, 1e-9);
  // not learned: final median 0.9 < 0.95
  assertEquals(subtaskJump(2, x, y.map((v) => Math.min(v, 0.9)), JUMP).learned, false);
});

Deno.test("emergence: abrupt jumps in frequency order pass; the statistic is the median relative width", () => {
  // rises of 100 steps at onsets 650, 950, 1250, 1550: r = 80/650, 80/950, 80/1250, 80/1550
  const run = runOf([600, 900, 1200, 1500].map((start) => ({ start, rise: 100 })));
  const o = verdict(run);
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, (80 / 950 + 80 / 1250) / 2, 1e-9);
  assertMatch(o.detail, /4\/4 learned; median r = .*; rho = 1;/);
  const a = analyseEmergence(run.metrics!, {})!;
  assertEquals(a.rho, 1);
  // the mean loss is exactly a sum of (ramped) steps: R² of the step model is high
  assertOk(a.lossFitR2! > 0.95, `R2 ${a.lossFitR2}`);
});

Deno.test("emergence: gradual learning (a rise from step 0, k = 1-like) fails the abruptness criterion", () => {
  const run = runOf([0, 0, 0, 0].map(() => ({ start: 0, rise: 200 })));
  const o = verdict(run);
  assertEquals(o.verdict, "fail");
  assertClose(o.value!, 160 / 100, 1e-9);
  assertMatch(o.detail, /median relative width 1\.6 > 0\.25 \(gradual\)/);
  // criteria: ["abrupt"] fails for that reason alone (rho is undefined with equal onsets)
  const only = verdict(run, { criteria: ["abrupt"] });
  assertEquals(only.verdict, "fail");
  assertOk(!/rho\(rank/.test(only.detail), only.detail);
});

Deno.test("emergence: maxWidthRatio just inside and just outside 0.25", () => {
  // one subtask, start s, rise R: r = 0.8R / (s + 0.5R); with s = 1000, r = 0.25 at
  // 0.8R = 0.25(1000 + 0.5R), i.e. R = 250/0.675
  const R = 250 / 0.675;
  const at = (rise: number) =>
    verdict(runOf([{ start: 1000, rise }], { every: 1, steps: 3000 }), { minLearned: 1 });
  const inside = at(R * 0.99), outside = at(R * 1.01);
  assertOk(inside.value! < 0.25 && inside.value! > 0.245, `${inside.value}`);
  assertEquals(inside.verdict, "pass", inside.detail);
  assertOk(outside.value! > 0.25 && outside.value! < 0.255, `${outside.value}`);
  assertEquals(outside.verdict, "fail", outside.detail);
});

Deno.test("emergence: learned threshold 0.95, minLearned and the order criterion at their edges", () => {
  const fast = { start: 600, rise: 100 };
  // three learned of four: passes with minLearned 3, fails with 4
  const three = runOf([fast, { ...fast, start: 900 }, { ...fast, start: 1200 }, {
    start: 5000,
    rise: 10,
  }]);
  assertEquals(verdict(three).verdict, "pass", verdict(three).detail);
  const four = verdict(three, { minLearned: 4 });
  assertEquals(four.verdict, "fail");
  assertMatch(four.detail, /3 learned < 4/);
  // final accuracy 0.951 counts as learned, 0.949 does not
  const plateau = (top: number) => {
    const lines = ["step,acc_task_1"];
    for (let t = 0; t <= 1000; t += 10) lines.push(`${t},${t < 500 ? 0.5 : top}`);
    return {
      id: "p",
      status: "ok" as const,
      info: {},
      metrics: tableFromCsv(lines.join("\n"), "m"),
    };
  };
  assertEquals(analyseEmergence(plateau(0.951).metrics!, {})!.learned.length, 1);
  assertEquals(analyseEmergence(plateau(0.949).metrics!, {})!.learned.length, 0);
  // order: onsets reversed → rho = −1 fails; one adjacent swap of 5 → rho = 0.9 passes; two → 0.8 passes at the edge; 0.7 fails
  const byOnsets = (starts: number[]) => runOf(starts.map((start) => ({ start, rise: 100 })));
  const rev = verdict(byOnsets([1500, 1200, 900, 600]));
  assertEquals(rev.verdict, "fail");
  assertMatch(rev.detail, /rho\(rank, onset\) -1 < 0\.8/);
  const oneSwap = byOnsets([900, 600, 1200, 1500, 1800]);
  assertClose(analyseEmergence(oneSwap.metrics!, {})!.rho!, 0.9, 1e-12);
  assertEquals(verdict(oneSwap).verdict, "pass");
  const twoSwaps = byOnsets([900, 600, 1500, 1200, 1800]);
  assertClose(analyseEmergence(twoSwaps.metrics!, {})!.rho!, 0.8, 1e-12);
  assertEquals(verdict(twoSwaps).verdict, "pass");
  // onset ranks [2, 3, 1, 4, 5]: Σd² = 6, rho = 1 − 6·6/120 = 0.7
  const rho07 = byOnsets([900, 1200, 600, 1500, 1800]);
  assertClose(analyseEmergence(rho07.metrics!, {})!.rho!, 0.7, 1e-12);
  assertEquals(verdict(rho07).verdict, "fail");
  // with 3 learned the order is not required (orderMinCount 4)
  assertEquals(verdict(byOnsets([1200, 900, 600])).verdict, "pass");
});

Deno.test("emergence: skips without subtask columns, fails a diverged run; options are strict", () => {
  const plain = {
    id: "x",
    status: "ok" as const,
    info: {},
    metrics: tableFromCsv("step,test_acc\n0,0.5\n", "m"),
  };
  assertEquals(verdict(plain).verdict, "skip");
  assertEquals(
    verdict({ ...runOf([{ start: 600, rise: 100 }]), status: "diverged" }).verdict,
    "fail",
  );
  const schema = getCheck("emergence")!.optionsSchema!;
  assertOk(schema.safeParse({ maxWidthRatio: 0.25, criteria: ["abrupt"] }).success);
  assertOk(!schema.safeParse({ maxWidthRatios: 0.25 }).success);
  assertOk(!schema.safeParse({ criteria: ["fast"] }).success);
  assertOk(!getCheck("edge_at_emergence")!.optionsSchema!.safeParse({ windows: 3 }).success);
});

Deno.test("edge_at_emergence: a level shift at every onset is detected; a shift elsewhere is not", () => {
  assertClose(
    changeScore([0, 1, 2, 3, 4, 5], [1, 1, 1, Math.E, Math.E, Math.E], 2.5, 3, 3)!,
    1,
    1e-12,
  );
  const specs = [600, 1000, 1400].map((start) => ({ start, rise: 40 }));
  const onsets = [620, 1020, 1420];
  // ln y: slow noise-free wiggle plus a factor-2 step at each onset
  const wiggle = (t: number) => Math.exp(0.05 * Math.sin(t / 37));
  const stepped = (t: number) => wiggle(t) * 2 ** onsets.filter((c) => t >= c).length;
  const at = edgeAtEmergenceCheck.evaluate(
    { experiment: "e", runs: [runOf(specs, { edge: stepped, steps: 2000, every: 5 })] },
    { window: 50 },
  )[0];
  assertEquals(at.verdict, "pass", at.detail);
  assertOk(at.value! > 5, `${at.value}`);
  // steps at other places (between onsets) → the onsets are not special
  const elsewhere = (t: number) =>
    wiggle(t) * 2 ** [300, 820, 1220, 1700].filter((c) => t >= c).length;
  const away = edgeAtEmergenceCheck.evaluate(
    { experiment: "e", runs: [runOf(specs, { edge: elsewhere, steps: 2000, every: 5 })] },
    { window: 50 },
  )[0];
  assertEquals(away.verdict, "fail", away.detail);
  // the p-value: with one onset at a unique step the test is exact: p = 1/(1 + permutations)
  const x = Array.from({ length: 400 }, (_, i) => i);
  const t = edgeChangeTest(x, x.map((s) => (s < 200 ? 1 : 3)), [200], {
    window: 10,
    minPoints: 3,
    permutations: 99,
    seedKey: "k",
  })!;
  assertEquals(t.p, 0.01);
  // deterministic
  assertEquals(
    edgeChangeTest(x, x.map((s) => 1 + ((s * 7919) % 13) / 10), [200], {
      window: 10,
      minPoints: 3,
      permutations: 99,
      seedKey: "k",
    })!.p,
    edgeChangeTest(x, x.map((s) => 1 + ((s * 7919) % 13) / 10), [200], {
      window: 10,
      minPoints: 3,
      permutations: 99,
      seedKey: "k",
    })!.p,
  );
  // without the Gram column it skips
  assertEquals(
    edgeAtEmergenceCheck.evaluate({ experiment: "e", runs: [runOf(specs)] }, {})[0].verdict,
    "skip",
  );
});

Deno.test("emergence: without the abrupt criterion the statistic is rho and gradual jumps do not matter", () => {
  // gradual (r = 1.6) but in frequency order: the order claim holds on its own
  const gradual = runOf([0, 300, 600, 900].map((start) => ({ start, rise: 400 })));
  const o = verdict(gradual, { criteria: ["learned", "order"], minLearned: 4 });
  assertEquals([o.verdict, o.value, o.statistic.startsWith("Spearman")], ["pass", 1, true]);
  assertEquals(o.expected, ">= 0.8");
  // reversed order (the alpha < 0 control) fails it
  const rev = runOf([900, 600, 300, 0].map((start) => ({ start, rise: 100 })));
  const r = verdict(rev, { criteria: ["learned", "order"], minLearned: 4 });
  assertEquals([r.verdict, r.value], ["fail", -1]);
  // minLearned 4 with 3 learned fails, so the order is never skipped silently
  const three = runOf([600, 900, 1200, 5000].map((start) => ({ start, rise: 10 })));
  const t = verdict(three, { criteria: ["learned", "order"], minLearned: 4 });
  assertEquals(t.verdict, "fail");
  assertMatch(t.detail, /3 learned < 4/);
});
