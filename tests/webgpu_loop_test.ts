/**
 * The training loop on webgpu: a model with more parameter tensors than a
 * WebGPU pipeline binds at once (the Nanda transformer has 11) gives cpu's
 * losses and gradient norms; and a command the device rejects stops the run
 * with the device's message instead of leaving zeros in the results. Ignored,
 * with the reason in the name, where no adapter can be had.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCliProcess, tempDir } from "./cli_helpers.ts";
import { adapter, adapterSuffix, runReferenceScript } from "./webgpu_helpers.ts";

/** A column of the single run's metrics.csv under `out`, as numbers. */
function column(out: string, name: string): number[] {
  const dir = `${out}/grokking_transformer`;
  const run = [...Deno.readDirSync(dir)].find((e) => e.isDirectory)!.name;
  const [header, ...rows] = Deno.readTextFileSync(`${dir}/${run}/metrics.csv`).trim().split("\n");
  const j = header.split(",").indexOf(name);
  assertOk(j >= 0, `no column ${name}`);
  return rows.map((r) => Number(r.split(",")[j]));
}

Deno.test({
  name:
    `webgpu: the Nanda transformer (p = 11, 8 steps) gives cpu's train loss and gradient norm to 1e-4${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const dir = tempDir();
    for (const backend of ["cpu", "webgpu"]) {
      const r = await runCliProcess([
        "run",
        "experiments/grokking_transformer.ts",
        "--profile",
        "full",
        "--backend",
        backend,
        "--out",
        `${dir}/${backend}`,
        "--quiet",
        ...["budget.steps=8", "task.p=11", "measure.every=1", "measure.sharpness.every=100"]
          .flatMap((s) => ["--set", s]),
        "--set",
        "measure.sharpness.subset=40",
      ]);
      assertOk(r.code === 0 || r.code === 1, `${backend}: ${r.err}`); // 1: the checks need more steps
    }
    for (const name of ["train_loss", "grad_norm"]) {
      const cpu = column(`${dir}/cpu`, name), gpu = column(`${dir}/webgpu`, name);
      assertEquals(gpu.length, 9);
      // (the last row has no step after it, so no gradient norm: 0 in both)
      const worst = Math.max(
        ...cpu.map((c, i) => c === gpu[i] ? 0 : Math.abs(gpu[i] - c) / Math.abs(c)),
      );
      console.log(`webgpu vs cpu, transformer ${name}: max rel ${worst.toExponential(1)}`);
      assertOk(worst < 1e-4, `${name}: webgpu ${gpu} vs cpu ${cpu}`);
    }
  },
});

Deno.test({
  name: `webgpu: a command the device rejects is reported by backendFault()${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const [line] = await runReferenceScript("webgpu_fault.ts");
    const r = JSON.parse(line);
    assertEquals(r.before, null);
    // e.g. "Unable to derive an implicit layout: Too many bindings of type StorageBuffers …"
    assertMatch(r.after, /storage ?buffers|invalid/i);
    assertOk(r.sum !== r.expected, "the rejected sum is not computed (why it must be caught)");
    // a run on that device then fails, naming the error, instead of writing its values
    assertMatch(r.runError, /the webgpu device reported an error, so values .* cannot be trusted/);
  },
});
