/**
 * The rows of a run's `events.csv` (phase transitions and controller events):
 * one owner for the format, written by the training loop, read by compare and
 * the report.
 *
 * @example
 * ```ts
 * import type { EventRow } from "./events.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const e: EventRow = { step: 1200, event: "phase", label: "sharpening → edge", detail: "" };
 * assertEquals(Object.keys(e), ["step", "event", "label", "detail"]); // the events.csv columns
 * ```
 * @module
 */

/** An events.csv row. */
export interface EventRow {
  /** Step at which the event happened. */
  step: number;
  /** Event kind (e.g. "phase"). */
  event: string;
  /** Label (e.g. "sharpening → edge"). */
  label: string;
  /** Details with numbers and formulas. */
  detail: string;
}
