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
  // ETAs are our own: cli-progress extrapolates from the first, slowest steps
  // (compilation, warm-up), which read 20 minutes for a one-minute suite
  const multi = new cliProgress.MultiBar({
    format: "{bar} {percentage}% | {run} | {what} {value}/{total} | {detail} | ETA {eta}",
    clearOnComplete: true,
    hideCursor: true,
    barsize: 20,
  }, cliProgress.Presets.shades_classic);
  const t0 = performance.now();
  const suite = multi.create(total, 0, { run: "suite", what: "runs", detail: "", eta: "-" });
  const bars = new Map<string, { bar: cliProgress.SingleBar; started: number }>();
  let done = 0;
  return {
    start(runId) {
      // the bar appears with the run's first progress, not as "step 0/1 | loss -"
      bars.set(runId, {
        bar: null as unknown as cliProgress.SingleBar,
        started: performance.now(),
      });
    },
    update(p) {
      const b = bars.get(p.runId);
      if (!b) return;
      const payload = {
        run: p.runId,
        what: "step",
        detail: `loss ${fmtLoss(p.loss)}`,
        eta: etaOf(performance.now() - b.started, p.step, p.steps),
      };
      if (!b.bar) b.bar = multi.create(p.steps, p.step, payload);
      else {
        b.bar.setTotal(p.steps);
        b.bar.update(p.step, payload);
      }
    },
    finish(s) {
      const b = bars.get(s.runId);
      if (b?.bar) multi.remove(b.bar);
      bars.delete(s.runId);
      done++;
      suite.update(done, { eta: etaOf(performance.now() - t0, done, total) });
      multi.log(summaryLine(s) + "\n");
    },
    close() {
      multi.stop();
    },
  };
}

/**
 * A remaining-time estimate from the elapsed time and progress, or "-" until
 * 5% (and at least 3 units) are done, when the rate is still dominated by
 * start-up.
 */
export function etaOf(elapsedMs: number, done: number, total: number): string {
  if (done < Math.max(3, 0.05 * total) || done <= 0) return "-";
  const secs = Math.max(0, Math.round((elapsedMs / 1000) * (total - done) / done));
  return secs >= 60
    ? `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, "0")}s`
    : `${secs}s`;
}
