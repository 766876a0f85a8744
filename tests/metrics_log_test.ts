/**
 * MetricsLog keeps rows as numbers and formats them once; checkpoints hold
 * those numbers, and older checkpoints (formatted cells) still load as the
 * same numbers.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { MetricsLog } from "../core/train/metrics_log.ts";
import { loadCheckpoint, numericRows, saveCheckpoint } from "../core/train/checkpoint.ts";
import { formatCell } from "../core/results/csv.ts";

Deno.test("MetricsLog: push by column name, last, columns and one formatting in toCsv", () => {
  const log = new MetricsLog(["step", "lr", "train_loss"]);
  assertEquals(log.last("train_loss"), null, "no rows yet");
  log.push({ step: 0, lr: 0.1, train_loss: 2.5 });
  log.push({ step: 1, lr: 0.1, train_loss: NaN });
  log.push({ step: 2, lr: 1e-7, train_loss: Infinity, other: 3 });
  log.push({ step: 3, train_loss: -0 });
  assertEquals(log.length, 4);
  assertEquals(log.last("step"), 3);
  assertEquals(log.last("lr"), null, "a column the row did not name is null");
  assertEquals(log.last("missing"), null);
  assertEquals(log.columns().train_loss, [2.5, NaN, Infinity, -0]);
  assertEquals(log.toCsv(), "step,lr,train_loss\n0,0.1,2.5\n1,0.1,nan\n2,1e-7,inf\n3,,0\n");
});

Deno.test("numericRows reads both checkpoint formats to the same numbers and refuses garbage", () => {
  const numbers = [[0, 0.1, 2.5, null], [1, 1e-7, NaN, Infinity], [2, -Infinity, 1 / 3, 0]];
  const formatted = numbers.map((r) => r.map(formatCell));
  assertEquals(numericRows(numbers, "rows"), numbers);
  assertEquals(numericRows(formatted, "rows"), numbers);
  let msg = "";
  try {
    numericRows([[0, "x"]], "rows");
  } catch (e) {
    msg = (e as Error).message;
  }
  assertMatch(msg, /rows\[0\]\[1\]: expected a number, got "x"/);
});

Deno.test("a checkpoint of formatted cells (the older format) loads as numbers; one with garbage is discarded", async () => {
  const dir = Deno.makeTempDirSync();
  const base = {
    step: 1,
    configHash: "h",
    params: [],
    optimizer: { step: 1, slots: {} },
    extra: {},
  };
  const path = `${dir}/checkpoint.json`;
  Deno.writeTextFileSync(path, JSON.stringify({ ...base, rows: [["0", "0.5", "nan", ""]] }));
  const c = await loadCheckpoint(dir, "h");
  assertEquals(c?.rows, [[0, 0.5, NaN, null]]);
  await saveCheckpoint(dir, { ...base, rows: [[0, 0.5, NaN, Infinity, null]] });
  assertEquals((await loadCheckpoint(dir, "h"))?.rows, [[0, 0.5, NaN, Infinity, null]]);
  Deno.writeTextFileSync(path, JSON.stringify({ ...base, rows: [["0", "oops"]] }));
  assertEquals(await loadCheckpoint(dir, "h"), null);
  let gone = false;
  try {
    Deno.statSync(path);
  } catch {
    gone = true;
  }
  assertOk(gone, "the damaged checkpoint was discarded");
});
