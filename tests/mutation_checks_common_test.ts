/**
 * Exact-value tests of core/checks/common.ts (option readers, formatting,
 * series, divergence), written against the mutants StrykerJS found alive
 * (`deno task mutation`).
 */
import { tableFromCsv } from "../core/results/table.ts";
import type { RunData } from "../core/checks/types.ts";
import {
  bandOption,
  divergence,
  fmt,
  fmtBand,
  guarded,
  hasValues,
  infoNumber,
  numberOption,
  optionalNumber,
  OptionError,
  outcome,
  series,
  stringOption,
  valueNear,
} from "../core/checks/common.ts";
import { assertEquals, assertThrowsMsg } from "./assert.ts";

Deno.test("numberOption/optionalNumber: the default when absent, an OptionError naming the key otherwise", () => {
  assertEquals(numberOption({}, "k", 3), 3);
  assertEquals(numberOption({ k: 0 }, "k", 3), 0);
  assertEquals(numberOption({ k: -2.5 }, "k", 3), -2.5);
  const e = assertThrowsMsg(
    () => numberOption({ k: "1" }, "k", 3),
    /^option k: expected a finite number, got "1"$/,
  );
  assertEquals([e instanceof OptionError, e.name], [true, "OptionError"]);
  assertThrowsMsg(
    () => numberOption({ k: Infinity }, "k", 3),
    /^option k: expected a finite number, got null$/,
  );
  assertThrowsMsg(() => numberOption({ k: NaN }, "k", 3), /expected a finite number/);
  assertThrowsMsg(() => numberOption({ k: null }, "k", 3), /got null/);
  assertEquals([
    optionalNumber({}, "k"),
    optionalNumber({ k: 0 }, "k"),
    optionalNumber({ k: 2 }, "k"),
  ], [
    undefined,
    0,
    2,
  ]);
  assertThrowsMsg(
    () => optionalNumber({ k: true }, "k"),
    /^option k: expected a finite number, got true$/,
  );
});

Deno.test("stringOption: default, value, and a refusal of empty or non-string values", () => {
  assertEquals([
    stringOption({}, "s"),
    stringOption({}, "s", "d"),
    stringOption({ s: "v" }, "s", "d"),
  ], [
    undefined,
    "d",
    "v",
  ]);
  assertThrowsMsg(
    () => stringOption({ s: "" }, "s"),
    /^option s: expected a non-empty string, got ""$/,
  );
  assertThrowsMsg(
    () => stringOption({ s: 1 }, "s"),
    /^option s: expected a non-empty string, got 1$/,
  );
});

Deno.test("bandOption: [lo, hi] with lo ≤ hi (equal allowed), a copy, else an OptionError", () => {
  assertEquals(bandOption({}, "b", [1, 2]), [1, 2]);
  assertEquals(bandOption({ b: [0.5, 0.5] }, "b", [1, 2]), [0.5, 0.5]);
  const given = [0.25, 4];
  const got = bandOption({ b: given }, "b", [1, 2]);
  assertEquals(got, [0.25, 4]);
  got[0] = 9;
  assertEquals(given, [0.25, 4]);
  for (const bad of [[2, 1], [1], [1, 2, 3], "x", [1, "2"], ["1", 2], [NaN, 1], null]) {
    assertThrowsMsg(
      () => bandOption({ b: bad }, "b", [1, 2]),
      /^option b: expected \[lo, hi\] with lo ≤ hi, got /,
    );
  }
});

Deno.test("fmt: integers as they are, 4 significant digits, n/a, nan, ±inf", () => {
  assertEquals([fmt(null), fmt(undefined), fmt(NaN), fmt(Infinity), fmt(-Infinity)], [
    "n/a",
    "n/a",
    "nan",
    "inf",
    "-inf",
  ]);
  assertEquals([fmt(0), fmt(-7), fmt(1800), fmt(123456789)], ["0", "-7", "1800", "123456789"]);
  assertEquals([fmt(1.23456), fmt(-1.23456), fmt(0.000123456), fmt(2.5)], [
    "1.235",
    "-1.235",
    "0.0001235",
    "2.5",
  ]);
  assertEquals([fmt(1.23456, 2), fmt(123.456, 3)], ["1.2", "123"]);
  // 1e15 and above is formatted by precision, not printed whole
  assertEquals([fmt(1e15), fmt(-1e15), fmt(999999999999999)], [
    "1000000000000000",
    "-1000000000000000",
    "999999999999999",
  ]);
  assertEquals([fmt(1234567890123456), fmt(123456789012345)], [
    "1235000000000000",
    "123456789012345",
  ]);
});

Deno.test("fmtBand: two decimals from 0.01 up (and 0), fmt below", () => {
  assertEquals(fmtBand([0.9, 1.15]), "[0.90, 1.15]");
  assertEquals(fmtBand([0, 0.01]), "[0.00, 0.01]");
  assertEquals(fmtBand([0.001234, -0.005]), "[0.001234, -0.005]");
  assertEquals(fmtBand([-0.01, -2]), "[-0.01, -2.00]");
});

Deno.test("outcome and guarded: the frame's fields, a thrown error as one skip, a broken frame as blanks", () => {
  const frame = { statistic: "s", expected: "e", tolerance: "t" };
  assertEquals(outcome("r", frame, 1, "pass", "d"), {
    run: "r",
    statistic: "s",
    expected: "e",
    tolerance: "t",
    value: 1,
    verdict: "pass",
    detail: "d",
  });
  const ok = guarded(() => frame, () => [outcome("r", frame, 2, "fail", "x")]);
  assertEquals(ok({ experiment: "e", runs: [] }, {}).map((o) => o.value), [2]);
  const thrown = guarded(() => frame, () => {
    throw new Error("boom");
  });
  assertEquals(thrown({ experiment: "e", runs: [] }, {}), [{
    run: "*",
    statistic: "s",
    expected: "e",
    tolerance: "t",
    value: null,
    verdict: "skip",
    detail: "boom",
  }]);
  const noFrame = guarded(() => {
    throw new Error("frame");
  }, () => {
    throw new Error("body");
  });
  assertEquals(noFrame({ experiment: "e", runs: [] }, {}), [{
    run: "*",
    statistic: "",
    expected: "",
    tolerance: "",
    value: null,
    verdict: "skip",
    detail: "body",
  }]);
});

Deno.test("series: measured pairs sorted by x (stable), nothing when a column is missing", () => {
  const t = tableFromCsv("step,a,b\n2,20,\n0,0,1\n1,,2\n0,5,3\n", "m.csv");
  assertEquals(series(t, "step", "a"), { x: [0, 0, 2], y: [0, 5, 20] });
  assertEquals(series(t, "step", "b"), { x: [0, 0, 1], y: [1, 3, 2] });
  assertEquals(series(t, "step", "zz"), { x: [], y: [] });
  assertEquals(series(t, "zz", "a"), { x: [], y: [] });
  const sorted = tableFromCsv("step,a\n0,1\n1,2\n1,3\n", "m.csv");
  assertEquals(series(sorted, "step", "a"), { x: [0, 1, 1], y: [1, 2, 3] });
  const desc = tableFromCsv("step,a\n3,1\n2,2\n1,3\n0,4\n", "m.csv");
  assertEquals(series(desc, "step", "a"), { x: [0, 1, 2, 3], y: [4, 3, 2, 1] });
});

Deno.test("hasValues and valueNear", () => {
  const t = tableFromCsv("step,a,b\n0,,1\n1,,\n", "m.csv");
  assertEquals([hasValues(t, "a"), hasValues(t, "b"), hasValues(t, "c"), hasValues(null, "b")], [
    false,
    true,
    false,
    false,
  ]);
  const s = { x: [10, 20, 30], y: [1, 2, 3] };
  assertEquals([valueNear(s, 20), valueNear(s, 25), valueNear(s, 30), valueNear(s, 99)], [
    2,
    2,
    3,
    3,
  ]);
  assertEquals([valueNear(s, 5), valueNear(s, 9.99), valueNear(s, 10)], [1, 1, 1]);
  assertEquals(valueNear({ x: [], y: [] }, 1), null);
  assertEquals(valueNear({ x: [0, 1], y: [0, 5] }, 0.5), 0);
});

Deno.test("divergence: the first non-finite value of the given columns, with its step; status diverged", () => {
  const run = (
    csv: string,
    status: RunData["status"] = "ok",
    info: Record<string, string> = {},
  ): RunData => ({
    id: "r",
    status,
    info,
    metrics: tableFromCsv(csv, "m.csv"),
  });
  assertEquals(
    divergence(run("step,train_loss\n0,1\n5,inf\n6,nan\n")),
    "run diverged at step 5 (train_loss = inf)",
  );
  assertEquals(
    divergence(run("step,test_loss\n0,1\n7,nan\n")),
    "run diverged at step 7 (test_loss = nan)",
  );
  assertEquals(
    divergence(run("step,train_loss\n0,-inf\n")),
    "run diverged at step 0 (train_loss = -inf)",
  );
  assertEquals(divergence(run("epoch,train_loss\n0,inf\n")), "run diverged (train_loss = inf)");
  assertEquals(divergence(run("step,train_loss\n,inf\n")), "run diverged (train_loss = inf)");
  assertEquals(divergence(run("step,train_loss,x\n0,1,inf\n")), null);
  assertEquals(
    divergence(run("step,train_loss,x\n0,1,inf\n"), ["x"]),
    "run diverged at step 0 (x = inf)",
  );
  assertEquals(divergence(run("step,train_loss\n0,1\n1,\n")), null);
  assertEquals(
    divergence(run("step,train_loss\n0,1\n", "diverged", { reason: "nan loss" })),
    "run diverged (nan loss)",
  );
  assertEquals(divergence(run("step,train_loss\n0,1\n", "diverged")), "run diverged");
  assertEquals(
    divergence({ id: "r", status: "diverged", info: {}, metrics: null }),
    "run diverged",
  );
  assertEquals(divergence({ id: "r", status: "ok", info: {}, metrics: null }), null);
  // the first column listed is looked at first
  assertEquals(
    divergence(run("step,train_loss,test_loss\n0,1,inf\n1,inf,1\n")),
    "run diverged at step 1 (train_loss = inf)",
  );
});

Deno.test("infoNumber: finite numbers only; blank, missing and garbage are null", () => {
  assertEquals(
    [infoNumber({ a: "0.5" }, "a"), infoNumber({ a: " 2 " }, "a"), infoNumber({ a: "0" }, "a")],
    [0.5, 2, 0],
  );
  assertEquals(
    [
      infoNumber({ a: "" }, "a"),
      infoNumber({ a: "  " }, "a"),
      infoNumber({}, "a"),
      infoNumber({ a: "x" }, "a"),
    ],
    [null, null, null, null],
  );
  assertEquals([infoNumber({ a: "Infinity" }, "a"), infoNumber({ a: "NaN" }, "a")], [null, null]);
});
