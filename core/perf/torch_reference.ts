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
 * import { pairedTimes, medianRatio } from "./torch_reference.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * let calls = 0;
 * const fake = { run: () => Promise.resolve(10) };
 * // each of our runs takes 20 ms on this clock, each PyTorch run 10 ms
 * const paired = await pairedTimes(3, () => { calls++; }, fake, "step", () => calls * 20);
 * assertEquals([calls, paired.ours, paired.theirs, medianRatio(paired)], [4, [20, 20, 20], [10, 10, 10], 2]);
 * ```
 * @module
 */

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

/** Something that times one run of a PyTorch benchmark, in ms. */
export interface TorchTimer {
  /** Runs `what` once in PyTorch; its wall time in ms. */
  run(what: TorchBenchmark): Promise<number>;
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
      return Number(line.value);
    },
    async close() {
      await writer.close();
      await child.status;
      await draining;
    },
  };
}

/** Wall times of the same benchmark in phasebench and PyTorch, taken in alternation. */
export interface PairedTimes {
  /** phasebench's times, ms. */
  ours: number[];
  /** PyTorch's times, ms (the i-th taken next to ours[i]). */
  theirs: number[];
}

/**
 * Times `ours` and PyTorch's `what` `reps` times each after one warm-up of
 * ours, alternating which goes first. `clock` is `performance.now` (a
 * parameter for the example).
 */
export async function pairedTimes(
  reps: number,
  ours: () => Promise<void> | void,
  torch: TorchTimer,
  what: TorchBenchmark,
  clock: () => number = () => performance.now(),
): Promise<PairedTimes> {
  await ours(); // warm-up (the reference warmed up when it started)
  const out: PairedTimes = { ours: [], theirs: [] };
  const timeOurs = async () => {
    const t0 = clock();
    await ours();
    out.ours.push(clock() - t0);
  };
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      await timeOurs();
      out.theirs.push(await torch.run(what));
    } else {
      out.theirs.push(await torch.run(what));
      await timeOurs();
    }
  }
  return out;
}

/** The median of ours[i] / theirs[i]. */
export function medianRatio(p: PairedTimes): number {
  const r = p.ours.map((t, i) => t / p.theirs[i]).sort((a, b) => a - b);
  const m = r.length >> 1;
  return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2;
}
