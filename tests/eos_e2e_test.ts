/**
 * Tiny end-to-end edge-of-stability runs in seconds: the Chebyshev tanh MLP
 * (no bias, as in the suite) at η = 0.4 rises from 0.57·2/η to the edge within
 * a few hundred steps and hovers there; the same model at η = 0.05 stays far
 * below 2/η (the check fails). The same experiment on `wasm` and on `cpu`
 * (whose float rounding differs) must give the same verdicts.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCli, tempDir, tinyEosExperiment, writeExperiment } from "./cli_helpers.ts";

function tinyEos(dir: string): string {
  return writeExperiment(dir, {
    ...tinyEosExperiment("tiny_eos", 600),
    checks: [
      { name: "eos", expect: "holds", where: { "optimizer.lr": 0.4 } },
      { name: "eos", expect: "fails", where: { "optimizer.lr": 0.05 } },
    ],
  });
}

async function runOn(backend: string, file: string, out: string): Promise<string> {
  const r = await runCli([
    "run",
    file,
    "--out",
    out,
    "--quiet",
    "--backend",
    backend,
    "--jobs",
    "1",
  ]);
  assertEquals(r.code, 0, r.out + r.err);
  return Deno.readTextFileSync(`${out}/checks.csv`);
}

function statistic(checks: string, run: string): number {
  const line = checks.split("\n").find((l) => l.includes(`,${run},holds,`))!;
  return Number(line.split(",")[5]);
}

Deno.test("a 600-step Chebyshev run at η = 0.4 holds eos, η = 0.05 fails it, on wasm and on cpu alike", async () => {
  const dir = tempDir();
  const file = tinyEos(dir);
  const wasm = await runOn("wasm", file, `${dir}/wasm`);
  const cpu = await runOn("cpu", file, `${dir}/cpu`);
  for (const checks of [wasm, cpu]) {
    assertMatch(checks, /tiny_eos,eos,tiny_eos\/lr=0\.4,holds,[^\n]*,pass,met,/);
    assertMatch(checks, /tiny_eos,eos,tiny_eos\/lr=0\.05,fails,[^\n]*,fail,met,/);
  }
  const a = statistic(wasm, "tiny_eos/lr=0.4"), b = statistic(cpu, "tiny_eos/lr=0.4");
  assertOk(Math.abs(a / b - 1) < 0.05, `wasm ${a} vs cpu ${b}`);
});
