/**
 * The PyTorch reference for `perf`, as a long-running process
 * (`tests/reference/pytorch_eos_step.py serve`) that times one EoS GD step or
 * one HVP per request, so that phasebench and PyTorch can alternate
 * repetition by repetition: on a shared, loaded machine the load drifts over
 * seconds, and timings taken minutes apart do not compare, while the ratio of
 * two runs a few milliseconds apart does ({@linkcode pairedTimes}).
 *
 * @example
 * ```ts
 * import { medianCpuRatio, medianRatio, pairedTimes } from "./torch_reference.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * let calls = 0;
 * const fake = { run: () => Promise.resolve({ wallMs: 10, cpuMs: 8 }) };
 * // each of our runs takes 20 ms on this clock and 4 ms of CPU; PyTorch's 10 and 8
 * const clock = () => calls * 20, cpu = () => calls * 4;
 * const paired = await pairedTimes(3, () => { calls++; }, fake, "step", clock, cpu);
 * assertEquals([calls, paired.ours, paired.theirs], [4, [20, 20, 20], [10, 10, 10]]);
 * assertEquals([medianRatio(paired), medianCpuRatio(paired)], [2, 0.5]);
 * ```
 * @module
 */
import process from "node:process";

/** Pythons tried for the PyTorch reference, in order (Debian's python3-torch lives in /usr/bin). */
export const PYTHON_CANDIDATES: readonly string[] = ["/usr/bin/python3", "python3"];

/** The first Python (`$PHASEBENCH_PYTHON`, else {@linkcode PYTHON_CANDIDATES}) that imports torch. */
export async function pythonWithTorch(): Promise<string> {
  const fromEnv = Deno.env.get("PHASEBENCH_PYTHON");
  const candidates = fromEnv ? [fromEnv] : PYTHON_CANDIDATES;
  for (const python of candidates) {
    try {
      const r = await new Deno.Command(python, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (r.success) return python;
    } catch {
      // not installed
    }
  }
  return candidates[candidates.length - 1];
}

/** What the reference process can time. */
export type TorchBenchmark = "step" | "hvp";

/** Wall and CPU time (all threads of the process) of one run, ms. */
export interface RunTime {
  /** Wall-clock ms. */
  wallMs: number;
  /** CPU ms of the whole process, all threads. */
  cpuMs: number;
}

/** Something that times one run of a PyTorch benchmark. */
export interface TorchTimer {
  /** Runs `what` once in PyTorch; its wall and CPU time. */
  run(what: TorchBenchmark): Promise<RunTime>;
}

/** The running reference process. */
export interface TorchServer extends TorchTimer {
  /** Versions and thread counts, for the rows' `extra`. */
  extra: string;
  /** Ends the process. */
  close(): Promise<void>;
}

/** Splits a byte stream into lines. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let i;
    while ((i = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, i);
      pending = pending.slice(i + 1);
    }
  }
  if (pending) yield pending;
}

/**
 * Starts the reference process (it warms both benchmarks up before it
 * answers). Returns a one-line reason instead when PyTorch is not there.
 *
 * @example
 * ```ts
 * import { assertMatch } from "../../tests/assert.ts";
 * // without PyTorch it says why (with it: `await torch.run("step")` gives ms)
 * Deno.env.set("PHASEBENCH_PYTHON", "/nonexistent/python3");
 * assertMatch(String(await startTorchReference()), /^pytorch reference skipped/);
 * Deno.env.delete("PHASEBENCH_PYTHON");
 * ```
 */
export async function startTorchReference(): Promise<TorchServer | string> {
  const script = new URL("../../tests/reference/pytorch_eos_step.py", import.meta.url).pathname;
  let child: Deno.ChildProcess;
  try {
    const python = await pythonWithTorch();
    child = new Deno.Command(python, {
      args: [script, "serve"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    return `pytorch reference skipped: ${(e as Error).message}`;
  }
  const out = lines(child.stdout);
  const writer = child.stdin.getWriter();
  const errText = child.stderr.pipeThrough(new TextDecoderStream());
  const stderr: string[] = [];
  const draining = (async () => {
    for await (const s of errText) stderr.push(s);
  })();
  const first = await out.next();
  if (first.done) {
    await child.status;
    await draining;
    const last = stderr.join("").trim().split("\n").pop() ?? "";
    return `pytorch reference skipped: ${last || "no output"}`;
  }
  const extra = (JSON.parse(first.value) as { extra: string }).extra;
  return {
    extra,
    async run(what) {
      await writer.write(new TextEncoder().encode(`${what}\n`));
      const line = await out.next();
      if (line.done) throw new Error(`pytorch reference ended: ${stderr.join("").trim()}`);
      const [wallMs, cpuMs] = line.value.trim().split(/\s+/).map(Number);
      return { wallMs, cpuMs };
    },
    async close() {
      await writer.close();
      await child.status;
      await draining;
    },
  };
}

/** Times of the same benchmark in phasebench and PyTorch, taken in alternation. */
export interface PairedTimes {
  /** phasebench's wall times, ms. */
  ours: number[];
  /** PyTorch's wall times, ms (the i-th taken next to ours[i]). */
  theirs: number[];
  /** phasebench's CPU times (this process, all threads), ms. */
  oursCpu: number[];
  /** PyTorch's CPU times, ms. */
  theirsCpu: number[];
}

/** This process's CPU time so far (all threads), ms. */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Times `ours` and PyTorch's `what` `reps` times each after one warm-up of
 * ours, alternating which goes first. `clock` and `cpuClock` are
 * `performance.now` and this process's CPU time (parameters for the example).
 */
export async function pairedTimes(
  reps: number,
  ours: () => Promise<void> | void,
  torch: TorchTimer,
  what: TorchBenchmark,
  clock: () => number = () => performance.now(),
  cpuClock: () => number = processCpuMs,
): Promise<PairedTimes> {
  await ours(); // warm-up (the reference warmed up when it started)
  const out: PairedTimes = { ours: [], theirs: [], oursCpu: [], theirsCpu: [] };
  const timeOurs = async () => {
    const t0 = clock(), c0 = cpuClock();
    await ours();
    out.ours.push(clock() - t0);
    out.oursCpu.push(cpuClock() - c0);
  };
  const timeTheirs = async () => {
    const t = await torch.run(what);
    out.theirs.push(t.wallMs);
    out.theirsCpu.push(t.cpuMs);
  };
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      await timeOurs();
      await timeTheirs();
    } else {
      await timeTheirs();
      await timeOurs();
    }
  }
  return out;
}

/** The median of a[i] / b[i]. */
function medianOfRatios(a: number[], b: number[]): number {
  const r = a.map((t, i) => t / b[i]).sort((x, y) => x - y);
  const m = r.length >> 1;
  return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2;
}

/** The median of the paired wall-time ratios ours[i] / theirs[i]. */
export function medianRatio(p: PairedTimes): number {
  return medianOfRatios(p.ours, p.theirs);
}

/** The median of the paired CPU-time ratios oursCpu[i] / theirsCpu[i]. */
export function medianCpuRatio(p: PairedTimes): number {
  return medianOfRatios(p.oursCpu, p.theirsCpu);
}
