/**
 * The types the training loop shares with the suite, the workers, the
 * progress display and the output writer: one owner, no import cycles.
 *
 * @example
 * ```ts
 * import type { RunSummary } from "./types.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const s: RunSummary = { runId: "e/base", status: "ok", reason: "", steps: 10, nParams: 5, final: {}, wall: {}, resumed: false };
 * assertEquals(s.reason, ""); // "" unless skipped, failed or diverged
 * ```
 * @module
 */
import type { BackendInfo } from "../backend.ts";
import type { RunStatus } from "../results/run_data.ts";

export type { RunStatus } from "../results/run_data.ts";

/** What a run reports back to the suite. */
export interface RunSummary {
  /** Run id. */
  runId: string;
  /** Final status. */
  status: RunStatus;
  /** Why (skipped/failed/diverged), else "". */
  reason: string;
  /** Steps completed. */
  steps: number;
  /** Number of model parameters (or the curve's p). */
  nParams: number;
  /** Last measured values (train/test loss/acc), null when not measured. */
  final: Record<string, number | null>;
  /** Wall seconds per phase. */
  wall: Record<string, number>;
  /** Whether it resumed from a checkpoint. */
  resumed: boolean;
}

/** Progress callback payload. */
export interface Progress {
  /** Run id. */
  runId: string;
  /** Current step. */
  step: number;
  /** Total steps. */
  steps: number;
  /** Last train loss. */
  loss: number;
}

/** What the loop needs besides the plan. */
export interface RunContext {
  /** Folder of this run (metrics.csv etc.). */
  runDir: string;
  /** Backend info for the manifest. */
  backend: BackendInfo;
  /** CIFAR-5M and other data folder. */
  dataDir?: string;
  /** Called now and then with progress. */
  onProgress?: (p: Progress) => void;
  /** Git commit and dirty flag, for the manifest. */
  git?: { commit: string; dirty: boolean };
}
