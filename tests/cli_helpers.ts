/**
 * Test helpers: run the CLI in-process (capturing output) or as a subprocess.
 * @module
 */
import { main } from "../cli.ts";

/** Runs `main(args)` in-process, capturing console output. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: unknown[]) => out.push(a.map(String).join(" "));
  console.error = (...a: unknown[]) => err.push(a.map(String).join(" "));
  try {
    const code = await main(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** Runs `deno run -A cli.ts args` as a subprocess. */
export async function runCliProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

/** A fresh temporary directory. */
export function tempDir(prefix = "phasebench-test-"): string {
  return Deno.makeTempDirSync({ prefix });
}

/** The tiny version of the smoke experiment, as raw fields. */
export function tinyExperiment(name: string): Record<string, unknown> {
  return {
    name,
    task: { kind: "synthetic-classification", n: 64, testN: 64, dim: 8, classes: 3 },
    model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
    loss: "mse",
    optimizer: { kind: "gd", lr: 0.2 },
    budget: { steps: 20 },
    measure: { every: 5 },
  };
}

/** Writes an experiment JSON file and returns its path. */
export function writeExperiment(dir: string, exp: Record<string, unknown>, name?: string): string {
  const path = `${dir}/${name ?? exp.name}.json`;
  Deno.writeTextFileSync(path, JSON.stringify(exp, null, 2));
  return path;
}

/** Reads a file as text, or null. */
export function readOrNull(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/**
 * Runs one experiment file quietly into `out` on one worker (`run FILE --out
 * OUT --backend B --jobs 1 --quiet`); throws with the output unless it exits 0.
 */
export async function runExperimentFile(
  file: string,
  out: string,
  backend = "wasm",
): Promise<void> {
  const r = await runCli([
    "run",
    file,
    "--out",
    out,
    "--backend",
    backend,
    "--jobs",
    "1",
    "--quiet",
  ]);
  if (r.code !== 0) throw new Error(`run ${file} exited ${r.code}\n${r.out}\n${r.err}`);
}

/**
 * The tiny Chebyshev edge-of-stability experiment (1→100→1 tanh MLP without
 * biases, η 0.4 at the edge and 0.05 far below it, sharpness every 25 steps),
 * as raw fields; `steps` sets the budget.
 */
export function tinyEosExperiment(name: string, steps: number): Record<string, unknown> {
  return {
    name,
    task: { kind: "chebyshev", degree: 3, n: 20 },
    model: {
      kind: "mlp",
      depth: 1,
      width: 100,
      activation: "tanh",
      bias: false,
      init: { scheme: "xavier", firstLayerGain: 1.9 },
    },
    optimizer: { kind: "gd", lr: 0.4 },
    budget: { steps },
    sweep: { "optimizer.lr": [0.4, 0.05] },
    measure: { every: 25, sharpness: { every: 25, iters: 20 } },
  };
}
