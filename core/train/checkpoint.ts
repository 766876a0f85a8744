/**
 * Checkpoints: parameters, optimizer state, measurement state and the metrics
 * rows written so far, saved atomically every N steps. Resuming from one ends
 * byte-identical to an uninterrupted run because every random stream is keyed
 * by step, not by history.
 *
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const runDir = await Deno.makeTempDir();
 * await saveCheckpoint(runDir, { step: 10, configHash: "abc123", rows: [], params: [], optimizer: { step: 10, slots: {} }, extra: {} });
 * assertEquals((await loadCheckpoint(runDir, "abc123"))?.step, 10);
 * assertEquals(await loadCheckpoint(runDir, "other"), null); // another config: ignored
 * await Deno.remove(runDir, { recursive: true });
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import { writeTextAtomic } from "../results/atomic.ts";
import { parseNumberCell } from "../results/csv.ts";
import type { MetricsRow } from "./metrics_log.ts";

/** What a checkpoint holds. */
export interface Checkpoint {
  /** The next step to run. */
  step: number;
  /** Hash of the run config (a checkpoint of another config is ignored). */
  configHash: string;
  /**
   * Metrics rows so far, as numbers (null = not measured). Checkpoints written
   * before rows were kept as numbers hold formatted cells ("0.5", "nan", "");
   * {@linkcode loadCheckpoint} reads those back as the same numbers.
   */
  rows: MetricsRow[];
  /** Parameter values. */
  params: Float32Array[];
  /** Optimizer state. */
  optimizer: { step: number; slots: Record<string, Float32Array[]> };
  /** Other state (measurer, controllers), JSON-serialisable with Float32/64 arrays encoded. */
  extra: Record<string, unknown>;
}

/** Encodes typed arrays inside a JSON value. */
export function encodeArrays(v: unknown): unknown {
  if (v instanceof Float32Array) {
    return { $f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  }
  if (v instanceof Float64Array) {
    return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  }
  if (Array.isArray(v)) return v.map(encodeArrays);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeArrays(x)]));
  }
  if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
  return v;
}

/** Decodes what {@linkcode encodeArrays} produced. */
export function decodeArrays(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeArrays);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$f32 === "string") {
      const b = Buffer.from(o.$f32, "base64");
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    if (typeof o.$f64 === "string") {
      const b = Buffer.from(o.$f64, "base64");
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    if (typeof o.$num === "string") return Number(o.$num);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeArrays(x)]));
  }
  return v;
}

/** Path of a run's checkpoint file. */
export function checkpointPath(runDir: string): string {
  return `${runDir}/checkpoint.json`;
}

/** Saves a checkpoint atomically. */
export async function saveCheckpoint(runDir: string, c: Checkpoint): Promise<void> {
  await writeTextAtomic(checkpointPath(runDir), JSON.stringify(encodeArrays(c)));
}

/**
 * Loads a checkpoint for this config, or null (none, or another config). A
 * checkpoint that cannot be decoded, or that `problem` finds inconsistent
 * with the run (wrong parameter shapes, missing keys, truncated rows), is
 * discarded with a warning naming the file, and the run starts over.
 */
export async function loadCheckpoint(
  runDir: string,
  configHash: string,
  problem: (c: Checkpoint) => string | null = () => null,
): Promise<Checkpoint | null> {
  const path = checkpointPath(runDir);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return null;
  }
  let c: Checkpoint;
  try {
    c = decodeArrays(JSON.parse(text)) as Checkpoint;
  } catch (e) {
    await discardCheckpoint(runDir, `unreadable (${(e as Error).message})`);
    return null;
  }
  if (c === null || typeof c !== "object" || c.configHash !== configHash) return null;
  let why = shapeProblem(c);
  if (!why) {
    try {
      c.rows = numericRows(c.rows, "rows");
    } catch (e) {
      why = (e as Error).message;
    }
  }
  why ??= problem(c);
  if (why) {
    await discardCheckpoint(runDir, why);
    return null;
  }
  return c;
}

/**
 * Rows whose cells are numbers or null, from either checkpoint format: a
 * formatted cell (the older format) is parsed back to the number it was
 * formatted from; anything else throws, naming `what`, the row and the cell.
 */
export function numericRows(rows: unknown[][], what: string): MetricsRow[] {
  return rows.map((r, i) =>
    r.map((cell, j) => {
      if (cell === null || typeof cell === "number") return cell;
      if (typeof cell === "string") {
        try {
          return parseNumberCell(cell, "checkpoint.json", i + 1, String(j));
        } catch {
          // the message below names the row and cell
        }
      }
      throw new Error(`${what}[${i}][${j}]: expected a number, got ${JSON.stringify(cell)}`);
    })
  );
}

/** Missing or ill-typed top-level keys of a decoded checkpoint. */
function shapeProblem(c: Checkpoint): string | null {
  if (!Number.isInteger(c.step) || c.step < 0) return "step: expected a non-negative integer";
  if (!Array.isArray(c.rows) || !c.rows.every((r) => Array.isArray(r))) {
    return "rows: expected a list of rows";
  }
  if (!Array.isArray(c.params) || !c.params.every((p) => p instanceof Float32Array)) {
    return "params: expected a list of float32 arrays";
  }
  if (
    c.optimizer === null || typeof c.optimizer !== "object" ||
    typeof c.optimizer.slots !== "object"
  ) return "optimizer: expected the optimizer state";
  if (c.extra === null || typeof c.extra !== "object") return "extra: expected an object";
  return null;
}

/**
 * Removes a run's checkpoint with a one-line warning naming the file and why;
 * the run then starts over from step 0.
 */
export async function discardCheckpoint(runDir: string, why: string): Promise<void> {
  const path = checkpointPath(runDir);
  console.error(`warning: ${path}: ${why}; discarded, the run starts over`);
  try {
    await Deno.remove(path);
  } catch {
    // already gone
  }
}
