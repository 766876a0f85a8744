/**
 * Progress display: one bar per running run (steps, loss, ETA) and a suite
 * line, drawn with `cli-progress` on a terminal; one line per finished run when
 * not a TTY; nothing with `--quiet`.
 * @module
 */
import cliProgress from "cli-progress";
import type { Progress, RunSummary } from "./loop.ts";

/** The progress display the suite talks to. */
export interface ProgressDisplay {
  /** A run started. */
  start(runId: string): void;
  /** A run progressed. */
  update(p: Progress): void;
  /** A run finished. */
  finish(s: RunSummary): void;
  /** All done. */
  close(): void;
}

function fmtLoss(x: number | null | undefined): string {
  return x === null || x === undefined ? "-" : Number.isFinite(x) ? x.toPrecision(4) : String(x);
}

/** One line describing a finished run. */
export function summaryLine(s: RunSummary): string {
  const mark = s.status === "ok" ? "✓" : s.status === "skipped" ? "·" : "✗";
  const secs = s.wall.total !== undefined ? ` ${s.wall.total.toFixed(1)}s` : "";
  const why = s.reason ? ` — ${s.reason}` : "";
  return `${mark} ${s.runId} ${s.status} ${s.steps} steps${secs} train loss ${
    fmtLoss(s.final.train_loss)
  }${why}`;
}

/** Creates the display for `total` runs. */
export function createProgress(quiet: boolean, total: number): ProgressDisplay {
  if (quiet) return { start() {}, update() {}, finish() {}, close() {} };
  if (!Deno.stdout.isTerminal()) {
    let done = 0;
    return {
      start() {},
      update() {},
      finish(s) {
        done++;
        console.log(`[${done}/${total}] ${summaryLine(s)}`);
      },
      close() {},
    };
  }
  const multi = new cliProgress.MultiBar({
    format:
      "{bar} {percentage}% | {run} | step {value}/{total} | loss {loss} | ETA {eta_formatted}",
    clearOnComplete: true,
    hideCursor: true,
    barsize: 20,
  }, cliProgress.Presets.shades_classic);
  const suite = multi.create(total, 0, { run: "suite", loss: "-" });
  const bars = new Map<string, cliProgress.SingleBar>();
  let done = 0;
  return {
    start(runId) {
      bars.set(runId, multi.create(1, 0, { run: runId, loss: "-" }));
    },
    update(p) {
      const b = bars.get(p.runId);
      if (!b) return;
      b.setTotal(p.steps);
      b.update(p.step, { loss: fmtLoss(p.loss) });
    },
    finish(s) {
      const b = bars.get(s.runId);
      if (b) {
        multi.remove(b);
        bars.delete(s.runId);
      }
      done++;
      suite.update(done);
      multi.log(summaryLine(s) + "\n");
    },
    close() {
      multi.stop();
    },
  };
}
