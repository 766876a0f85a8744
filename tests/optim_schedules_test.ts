/**
 * LR schedules at chosen points against the formulas in schedules.ts
 * (x = decay progress): linear 1 − x, cosine ½(1 + cos πx), multicosine
 * ½(1 + cos 3πx), quadratic 1 − x², power (1 − x)²; linear warm-up from 0;
 * decayFraction d holds the peak until progress 1 − d.
 */
import { type ScheduleInput, ScheduleSchema } from "../core/config/optim_schema.ts";
import { decayShape, scheduleLr, warmupSteps } from "../core/optim/mod.ts";
import { assertClose, assertEquals, assertOk, assertThrowsMsg } from "./assert.ts";

function check(
  cfg: ScheduleInput,
  total: number,
  points: [number, number][],
  peak = 1,
): void {
  for (const [step, expected] of points) {
    const lr = scheduleLr(cfg, peak, step, total);
    const what = `${JSON.stringify(cfg)} at step ${step}/${total}`;
    if (expected === 0) assertOk(Math.abs(lr) < 1e-15, `${what}: ${lr} ≠ 0`);
    else assertClose(lr, expected, 1e-12, what);
  }
}

Deno.test("constant schedule: the peak everywhere, after a linear warm-up from 0", () => {
  check({ kind: "constant" }, 100, [[0, 1], [50, 1], [99, 1], [100, 1]]);
  check({ kind: "constant", warmup: 10 }, 100, [[0, 0], [5, 0.5], [9, 0.9], [
    10,
    1,
  ], [99, 1]]);
  check({}, 100, [[0, 2], [70, 2]], 2);
});

Deno.test("linear, cosine, quadratic and power decays at chosen points", () => {
  check({ kind: "linear" }, 100, [[0, 1], [25, 0.75], [50, 0.5], [100, 0]]);
  check({ kind: "cosine" }, 100, [
    [0, 1],
    [25, 0.5 * (1 + Math.cos(Math.PI / 4))],
    [50, 0.5],
    [75, 0.5 * (1 + Math.cos(3 * Math.PI / 4))],
    [100, 0],
  ]);
  check({ kind: "quadratic" }, 100, [[0, 1], [50, 0.75], [100, 0]]);
  check({ kind: "power" }, 100, [[0, 1], [50, 0.25], [100, 0]]);
  check({ kind: "linear" }, 100, [[50, 1.5e-3]], 3e-3);
});

Deno.test("multicosine ½(1 + cos 3πx): down to 0 at x = 1/3, back to the peak at 2/3, 0 at the end", () => {
  check({ kind: "multicosine" }, 60, [[0, 1], [10, 0.5], [20, 0], [30, 0.5], [
    40,
    1,
  ], [60, 0]]);
  const lrs = Array.from(
    { length: 61 },
    (_, t) => scheduleLr({ kind: "multicosine" }, 1, t, 60),
  );
  assertOk(lrs[30] > lrs[20], "negative control: multicosine is not monotone");
});

Deno.test("decay shapes are non-increasing for linear, cosine, quadratic and power", () => {
  for (const kind of ["linear", "cosine", "quadratic", "power"] as const) {
    for (let i = 1; i <= 100; i++) {
      assertOk(
        decayShape(kind, i / 100) <= decayShape(kind, (i - 1) / 100),
        `${kind} at ${i / 100}`,
      );
    }
  }
});

Deno.test("decayFraction 0.2: constant for the first 80% of the run, then decay over the last 20%", () => {
  check({ kind: "linear", decayFraction: 0.2 }, 100, [
    [0, 1],
    [50, 1],
    [79, 1],
    [80, 1],
    [90, 0.5],
    [95, 0.25],
    [
      100,
      0,
    ],
  ]);
  check({ kind: "cosine", decayFraction: 0 }, 100, [[99, 1]]);
});

Deno.test("warm-up as a fraction of the run, combined with decay over the post-warm-up steps", () => {
  assertEquals(warmupSteps({ warmup: 0.1 }, 200), 20);
  assertEquals(warmupSteps({ warmup: 7 }, 200), 7);
  // W = 20, decay over steps 20..200: step 110 is halfway
  check({ kind: "cosine", warmup: 0.1 }, 200, [[0, 0], [10, 0.5], [20, 1], [
    110,
    0.5,
  ], [200, 0]]);
  // W = 10, span 100, decayFraction 0.5: peak until step 60, then linear to 0 at 110
  check({ kind: "linear", warmup: 10, decayFraction: 0.5 }, 110, [
    [5, 0.5],
    [60, 1],
    [85, 0.5],
    [110, 0],
  ]);
});

Deno.test("final sets the floor: η·(final + (1 − final)·s(x))", () => {
  check({ kind: "linear", final: 0.1 }, 100, [[0, 1], [50, 0.55], [100, 0.1]]);
  check({ kind: "cosine", final: 0.1 }, 100, [[100, 0.1]]);
  check({ kind: "constant", final: 0.1 }, 100, [[100, 1]]);
});

Deno.test("schedule errors: bad steps, bad totals, and schema violations", () => {
  assertThrowsMsg(
    () => scheduleLr({ kind: "linear" }, 1, -1, 10),
    /step must be an integer ≥ 0/,
  );
  assertThrowsMsg(
    () => scheduleLr({ kind: "linear" }, 1, 1.5, 10),
    /step must be an integer ≥ 0/,
  );
  assertThrowsMsg(
    () => scheduleLr({ kind: "linear" }, 1, 0, 0),
    /totalSteps must be an integer ≥ 1/,
  );
  assertEquals(ScheduleSchema.parse({}), {
    kind: "constant",
    warmup: 0,
    decayFraction: 1,
    final: 0,
  });
  const path = (x: unknown) => ScheduleSchema.safeParse(x).error?.issues[0].path;
  assertEquals(path({ warmup: 1.5 }), ["warmup"]);
  assertEquals(path({ decayFraction: 1.2 }), ["decayFraction"]);
  assertEquals(path({ final: -0.1 }), ["final"]);
  assertEquals(path({ kind: "step" }), ["kind"]);
  assertEquals(path({ kind: "linear", decay: 0.2 }), []);
});
