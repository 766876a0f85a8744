/**
 * The GPU path runs the science: the suite's edge-of-stability experiment
 * (`experiments/eos_chebyshev.ts`, η = 0.4, seed 1) for 300 steps on `webgpu`
 * gives wasm's λ_max at step 0 (Lanczos on exact HVPs, read back
 * asynchronously) to 1e-3 relative and wasm's loss curve to 1e-4 over the
 * first 100 steps. On a machine without a GPU the adapter is Mesa's software
 * Vulkan driver (llvmpipe; `.ci/run` installs `mesa-vulkan-drivers`); where no
 * adapter can be had at all, the test is reported as ignored with the reason
 * in its name, never as passed.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCliProcess, tempDir } from "./cli_helpers.ts";
import { adapter, adapterSuffix } from "./webgpu_helpers.ts";

/** The run's metrics.csv as columns of numbers (NaN for an empty cell). */
function metricsOf(out: string): Record<string, number[]> {
  const dir = `${out}/eos_chebyshev`;
  const run = [...Deno.readDirSync(dir)].find((e) => e.isDirectory)!.name;
  const [header, ...rows] = Deno.readTextFileSync(`${dir}/${run}/metrics.csv`).trim().split("\n");
  const names = header.split(",");
  const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const row of rows) {
    row.split(",").forEach((cell, j) => cols[names[j]].push(cell === "" ? NaN : Number(cell)));
  }
  return cols;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

Deno.test({
  name:
    `webgpu: 300 EoS steps give wasm's λ_max at step 0 (1e-3) and loss over steps 0–100 (1e-4)${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const dir = tempDir();
    const args = (backend: string) => [
      "run",
      "experiments/eos_chebyshev.ts",
      "--out",
      `${dir}/${backend}`,
      "--quiet",
      "--jobs",
      "1",
      "--backend",
      backend,
      "--set",
      "seed=1",
      "--set",
      "optimizer.lr=0.4",
      "--set",
      "budget.steps=300",
      "--set",
      "measure.every=1",
      "--set",
      "measure.sharpness.every=100",
    ];
    // separate processes (a backend is global to one); side by side
    const [gpu, cpu] = await Promise.all([
      runCliProcess(args("webgpu")),
      runCliProcess(args("wasm")),
    ]);
    for (const [name, r] of [["webgpu", gpu], ["wasm", cpu]] as const) {
      // exit 1 is a check verdict on this shortened run, not a failure of the run itself
      assertOk(r.code === 0 || r.code === 1, `${name} exited ${r.code}: ${r.err}`);
      assertMatch(
        Deno.readTextFileSync(`${dir}/${name}/eos_chebyshev/runs.csv`),
        /,ok,/,
        `${name}: the run did not finish ok`,
      );
    }
    const manifest = Deno.readTextFileSync(`${dir}/webgpu/manifest.json`);
    assertMatch(manifest, /"name": "webgpu"/, "the suite ran on webgpu");
    const g = metricsOf(`${dir}/webgpu`);
    const w = metricsOf(`${dir}/wasm`);
    assertEquals(g.step, w.step);
    assertEquals(g.step.length, 301, "one row per step, 0–300");

    // λ_max at step 0 (and where else it was measured, for the record)
    const lambda0 = relative(g.lambda_max[0], w.lambda_max[0]);
    assertOk(Number.isFinite(g.lambda_max[0]), `webgpu λ_max at step 0: ${g.lambda_max[0]}`);
    assertOk(
      lambda0 <= 1e-3,
      `λ_max at step 0: webgpu ${g.lambda_max[0]} vs wasm ${w.lambda_max[0]} (rel ${lambda0})`,
    );

    // the loss curve over the first 100 steps
    let worst = 0;
    for (let s = 0; s <= 100; s++) {
      const rel = relative(g.train_loss[s], w.train_loss[s]);
      assertOk(rel <= 1e-4, `step ${s}: webgpu ${g.train_loss[s]} vs wasm ${w.train_loss[s]}`);
      worst = Math.max(worst, rel);
    }
    // the tolerance tells one step from the next: comparing step s with step
    // s + 1 of wasm fails it somewhere in those 100 steps
    let shifted = 0;
    for (let s = 0; s < 100; s++) {
      shifted = Math.max(shifted, relative(g.train_loss[s], w.train_loss[s + 1]));
    }
    assertOk(shifted > 1e-4, `a one-step shift went unnoticed (max rel ${shifted})`);
    console.log(
      `webgpu vs wasm: λ_max(0) rel ${lambda0.toExponential(1)}, ` +
        `loss steps 0–100 max rel ${worst.toExponential(1)} (one-step shift: ${
          shifted.toExponential(1)
        })`,
    );
  },
});
