/**
 * `perf`: fixed micro- and macro-benchmarks (SPEC §11) written to
 * `results/perf/<machine>-<backend>.csv`; with `--compare OLD.csv
 * --fail-above R`, a gate that exits 1 naming each benchmark whose median got
 * slower than R× the old one with non-overlapping min–max ranges.
 *
 * @example
 * ```ts
 * import { perf } from "./perf.ts";
 * import { runCommand } from "./command.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals, assertMatch } from "../../tests/assert.ts";
 * // the old CSV is read before any benchmark runs: a typo costs no benchmark run
 * const io = captureIO();
 * const code = await runCommand(perf, ["--compare", "no-such-old.csv", "--fail-above", "1.2"], io);
 * assertEquals(code, 2);
 * assertMatch(io.stderr.join("\n"), /no-such-old\.csv.*cannot read/);
 * ```
 * @module
 */
import { hostname } from "node:os";
import { type Command, UsageError } from "./command.ts";
import type { BackendName } from "../backend.ts";
import { BACKENDS } from "../backend.ts";
import { perfCsv, perfRegressions, readPerfCsv } from "../perf/perf_csv.ts";
import { CsvError } from "../results/csv.ts";

/** `perf`. */
export const perf: Command = {
  name: "perf",
  summary:
    "Times the EoS reference GD step, one HVP, λ_max cold and warm, the CIFAR-5M-sized EoS step, the grokking-MLP, Nanda-transformer and resmlp steps (the EoS and transformer steps also as the training loop runs them, *_loop: loss reads lagged) and the quick suite with --suite; PyTorch beside it when importable. Writes results/perf/<machine>-<backend>.csv.",
  args: "",
  options: {
    backend: { type: "string", value: "B", default: "wasm", help: `one of ${BACKENDS.join(", ")}` },
    reps: { type: "string", value: "N", default: "5", help: "timed repetitions after a warm-up" },
    suite: { type: "boolean", default: false, help: "also time bench --jobs 1 and --jobs 2" },
    scale: {
      type: "string",
      value: "F",
      default: "1",
      help: "every benchmark on this fraction of its examples, rows named NAME@F (a smoke run " +
        "on a slow device, e.g. 0.02 on software Vulkan)",
    },
    json: { type: "boolean", default: false, help: "one JSON object" },
    compare: { type: "string", value: "OLD.csv", help: "a perf CSV to compare with" },
    "fail-above": {
      type: "string",
      value: "R",
      help: "with --compare: exit 1 when a median is slower than R× the old one",
    },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const reps = Number(values.reps);
    if (!Number.isInteger(reps) || reps < 1) {
      throw new UsageError(`--reps ${values.reps}: expected a positive integer`);
    }
    const scale = Number(values.scale);
    if (!(scale > 0 && scale <= 1)) {
      throw new UsageError(`--scale ${values.scale}: expected a fraction in (0, 1]`);
    }
    const failAbove = values["fail-above"] === undefined ? null : Number(values["fail-above"]);
    if (failAbove !== null && !(failAbove >= 1)) {
      throw new UsageError(`--fail-above ${values["fail-above"]}: expected a ratio ≥ 1`);
    }
    if ((failAbove === null) !== (values.compare === undefined)) {
      throw new UsageError("--compare and --fail-above go together");
    }
    // read the old file first: a typo must not cost a whole benchmark run
    let old = null;
    if (values.compare !== undefined) {
      const file = values.compare as string;
      let text: string;
      try {
        text = await Deno.readTextFile(file);
      } catch (e) {
        throw new CsvError(file, null, `cannot read (${(e as Error).message})`);
      }
      old = readPerfCsv(text, file);
    }
    const { setupBackend } = await import("../backend.ts");
    const { writeTextAtomic } = await import("../results/atomic.ts");
    const { runPerf } = await import("../perf/mod.ts");
    const backend = await setupBackend(values.backend as BackendName);
    const { rows, notes } = await runPerf({
      backend: backend.name,
      reps,
      suite: values.suite as boolean,
      scale,
    });
    const machine = hostname().replace(/[^A-Za-z0-9_.-]/g, "_");
    const file = `results/perf/${machine}-${backend.name}.csv`;
    await writeTextAtomic(file, perfCsv(rows, backend));
    if (values.json) io.out(JSON.stringify({ backend, rows, notes }, null, 2));
    else {
      for (const r of rows) {
        io.out(
          `${r.benchmark.padEnd(24)} median ${r.medianMs.toFixed(1).padStart(9)} ms  (min ${
            r.minMs.toFixed(1)
          }, max ${r.maxMs.toFixed(1)}, n=${r.reps}) ${r.extra}`,
        );
      }
      for (const n of notes) io.out(n);
      if (backend.device) io.out(`backend ${backend.name}: ${backend.device}`);
      io.out(`wrote ${file}`);
    }
    if (old === null) return 0;
    const slower = perfRegressions(old, rows, failAbove!);
    for (const s of slower) {
      io.out(
        `SLOWER ${s.benchmark}: median ${s.oldMs.toFixed(1)} → ${s.newMs.toFixed(1)} ms (${
          s.ratio.toFixed(2)
        }× > ${failAbove}×, ranges do not overlap)`,
      );
    }
    io.out(
      slower.length === 0
        ? `perf gate: no benchmark slower than ${failAbove}× ${values.compare}`
        : `perf gate: ${slower.length} benchmark(s) slower than ${failAbove}×`,
    );
    return slower.length > 0 ? 1 : 0;
  },
};
