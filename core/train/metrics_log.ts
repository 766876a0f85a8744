/**
 * The rows a run measures, kept as numbers and formatted once, when the CSV
 * is written (`toCsv`). A row is given by column name; a column it does not
 * name is "not measured" (null, an empty cell).
 *
 * @example
 * ```ts
 * import { MetricsLog } from "./metrics_log.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 *
 * const log = new MetricsLog(["step", "train_loss"]);
 * log.push({ step: 0, train_loss: 1.5 });
 * log.push({ step: 10 });
 * assertEquals(log.last("step"), 10);
 * assertEquals(log.last("train_loss"), null);
 * assertEquals(log.toCsv(), "step,train_loss\n0,1.5\n10,\n");
 * ```
 * @module
 */
import { toCsv } from "../results/csv.ts";

/** One row: a number (NaN and ±Infinity included) or null per column. */
export type MetricsRow = (number | null)[];

/** Rows of numbers under a fixed header. */
export class MetricsLog {
  readonly #rows: MetricsRow[];

  /** A log with these columns, starting from `rows` (e.g. a checkpoint's). */
  constructor(readonly header: readonly string[], rows: MetricsRow[] = []) {
    this.#rows = rows;
  }

  /** Appends a row; the columns `row` does not name are null. */
  push(row: Readonly<Record<string, number | null | undefined>>): void {
    this.#rows.push(this.header.map((h) => row[h] ?? null));
  }

  /** The number of rows. */
  get length(): number {
    return this.#rows.length;
  }

  /** The rows, in order (for checkpoints). */
  get rows(): readonly MetricsRow[] {
    return this.#rows;
  }

  /** The value of `column` in the last row; null without rows, column or value. */
  last(column: string): number | null {
    const j = this.header.indexOf(column);
    const row = this.#rows[this.#rows.length - 1];
    return j < 0 || row === undefined ? null : row[j];
  }

  /** Every column's values by name, in row order. */
  columns(): Record<string, (number | null)[]> {
    return Object.fromEntries(this.header.map((h, j) => [h, this.#rows.map((r) => r[j])]));
  }

  /** The CSV text: the header, then one line per row (see `formatCell`). */
  toCsv(): string {
    return toCsv([...this.header], this.#rows);
  }
}
