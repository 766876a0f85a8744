/**
 * Backends: webgpu matches wasm on a tiny model when an adapter exists, and a
 * missing tfjs-node gives one clear line.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCliProcess, tempDir, tinyExperiment, writeExperiment } from "./cli_helpers.ts";
import { webgpuAdapter } from "../core/backend.ts";

const adapter = await webgpuAdapter();

Deno.test({
  name: `the webgpu backend trains the small experiment and matches wasm losses to 1e-4 relative${
    adapter ? "" : " (skipped: no WebGPU adapter on this machine)"
  }`,
  ignore: adapter === null,
  fn: async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      ...tinyExperiment("gpu_small"),
      budget: { steps: 10 },
      measure: { every: 1 },
    });
    const losses: number[][] = [];
    for (const backend of ["wasm", "webgpu"]) {
      const r = await runCliProcess([
        "run",
        file,
        "--out",
        `${dir}/${backend}`,
        "--quiet",
        "--backend",
        backend,
      ]);
      assertEquals(r.code, 0, r.err);
      assertMatch(
        Deno.readTextFileSync(`${dir}/${backend}/gpu_small/runs.csv`),
        /gpu_small\/base,[^\n]*,ok,/,
      );
      const runDir = [...Deno.readDirSync(`${dir}/${backend}/gpu_small`)].find((e) =>
        e.isDirectory
      )!.name;
      const text = Deno.readTextFileSync(`${dir}/${backend}/gpu_small/${runDir}/metrics.csv`).trim()
        .split("\n");
      const j = text[0].split(",").indexOf("train_loss");
      losses.push(text.slice(1).map((l) => Number(l.split(",")[j])));
    }
    assertEquals(losses[0].length, losses[1].length);
    losses[0].forEach((l, i) => {
      const rel = Math.abs(l - losses[1][i]) / Math.abs(l);
      assertOk(rel <= 1e-4, `step ${i}: wasm ${l} vs webgpu ${losses[1][i]} (rel ${rel})`);
    });
  },
});

Deno.test("a missing tfjs-node gives exit 2 and one line naming the install command", async () => {
  const dir = tempDir();
  const file = writeExperiment(dir, tinyExperiment("tf_missing"));
  const r = await runCliProcess([
    "run",
    file,
    "--out",
    `${dir}/out`,
    "--quiet",
    "--backend",
    "tensorflow",
  ]);
  assertEquals(r.code, 2, r.err);
  assertMatch(
    r.err,
    /tfjs-node is not installed; install it with `deno install --allow-scripts=npm:@tensorflow\/tfjs-node/,
  );
  assertEquals(r.err.trim().split("\n").length, 1, r.err);
});
