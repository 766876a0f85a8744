/**
 * A tiny end-to-end edge-of-stability run in seconds: the Chebyshev tanh MLP
 * at η = 0.4 reaches 2/η = 5 within a few hundred steps and hovers there; the
 * same model at η = 0.05 stays far below 2/η (the check fails).
 */
import { assertEquals, assertMatch } from "./assert.ts";
import { runCli, tempDir, writeExperiment } from "./cli_helpers.ts";

Deno.test("a 600-step Chebyshev run at η = 0.4 reaches the edge of stability and the eos check holds", async () => {
  const dir = tempDir();
  const file = writeExperiment(dir, {
    name: "tiny_eos",
    task: { kind: "chebyshev", degree: 3, n: 20 },
    model: {
      kind: "mlp",
      depth: 1,
      width: 100,
      activation: "tanh",
      init: { scheme: "xavier", firstLayerGain: 1.9 },
    },
    optimizer: { kind: "gd", lr: 0.4 },
    budget: { steps: 600 },
    sweep: { "optimizer.lr": [0.4, 0.05] },
    measure: { every: 20, sharpness: { every: 20, iters: 20 } },
    checks: [
      { name: "eos", expect: "holds", where: { "optimizer.lr": 0.4 } },
      { name: "eos", expect: "fails", where: { "optimizer.lr": 0.05 } },
    ],
  });
  const r = await runCli([
    "run",
    file,
    "--out",
    `${dir}/out`,
    "--quiet",
    "--backend",
    "wasm",
    "--jobs",
    "1",
  ]);
  assertEquals(r.code, 0, r.out + r.err);
  const checks = Deno.readTextFileSync(`${dir}/out/checks.csv`);
  assertMatch(checks, /tiny_eos,eos,tiny_eos\/lr=0\.4,holds,[^\n]*,pass,met,/);
  assertMatch(checks, /tiny_eos,eos,tiny_eos\/lr=0\.05,fails,[^\n]*,fail,met,/);
});
