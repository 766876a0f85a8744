/**
 * The one thin CSV module: numbers in a fixed, locale-free format, reading and
 * writing through `csv-stringify` / `csv-parse` (npm stand-ins for `@std/csv`,
 * which lives on JSR; swapping it in is a change to this file only).
 *
 * @example
 * ```ts
 * import { formatNumber, toCsv, parseCsv } from "./csv.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(formatNumber(0.1), "0.1");
 * const text = toCsv(["step", "loss"], [[0, 1.5], [1, null]]);
 * assertEquals(parseCsv(text, "inline.csv").rows[1], ["1", ""]);
 * ```
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";

/** A cell: a number, a string, or null for "not measured" (empty cell). */
export type Cell = number | string | null | undefined | boolean;

/**
 * Formats a number locale-free and round-trip exact (shortest representation
 * that parses back to the same double). NaN → "nan", ±Infinity → "inf"/"-inf".
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "0";
  return String(x);
}

/** Formats one cell: null/undefined → "" (not measured). */
export function formatCell(c: Cell): string {
  if (c === null || c === undefined) return "";
  if (typeof c === "number") return formatNumber(c);
  if (typeof c === "boolean") return c ? "true" : "false";
  return c;
}

/** Renders a header and rows to CSV text (LF line endings, quoted when needed). */
export function toCsv(header: string[], rows: Cell[][]): string {
  const body = rows.map((r) => r.map(formatCell));
  return stringify([header, ...body], { eof: true, record_delimiter: "\n" });
}

/** Error raised for malformed CSV input; names the file and line. */
export class CsvError extends Error {
  /** Creates the error; message is `file:line: what`. */
  constructor(readonly file: string, readonly line: number | null, what: string) {
    super(line === null ? `${file}: ${what}` : `${file}:${line}: ${what}`);
    this.name = "CsvError";
  }
}

/** Parsed CSV: header plus string rows, all of the header's width. */
export interface ParsedCsv {
  /** Column names. */
  header: string[];
  /** Data rows, as strings. */
  rows: string[][];
}

/**
 * Parses CSV text strictly: every row must have the header's number of cells.
 * Errors name `file` and the 1-based line.
 */
export function parseCsv(text: string, file: string): ParsedCsv {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? null;
    throw new CsvError(file, line, `malformed CSV (${(e as Error).message.split("\n")[0]})`);
  }
  if (records.length === 0) throw new CsvError(file, 1, "empty file: expected a header row");
  const [header, ...rows] = records;
  rows.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new CsvError(
        file,
        i + 2,
        `expected ${header.length} cells (${header.join(",")}), got ${r.length}`,
      );
    }
  });
  return { header, rows };
}

/**
 * Parses one numeric cell: "" → null, "nan"/"inf"/"-inf" allowed; anything else
 * non-numeric throws a CsvError naming file, line and column.
 */
export function parseNumberCell(
  cell: string,
  file: string,
  line: number,
  column: string,
): number | null {
  const s = cell.trim();
  if (s === "") return null;
  const lower = s.toLowerCase();
  if (lower === "nan") return NaN;
  if (lower === "inf" || lower === "+inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  const x = Number(s);
  if (Number.isNaN(x)) {
    throw new CsvError(file, line, `column ${column}: expected a number, got "${cell}"`);
  }
  return x;
}

/** Throws CsvError (line 1) naming the columns of `needed` that `header` lacks. */
export function requireColumns(
  header: string[],
  needed: readonly string[],
  file: string,
): void {
  const missing = needed.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new CsvError(
      file,
      1,
      `missing column(s) ${missing.join(", ")} (header: ${header.join(",")})`,
    );
  }
}

/** `value` when it is one of `allowed`, else a CsvError naming the file, line and column. */
export function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  file: string,
  line: number,
  column: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CsvError(
      file,
      line,
      `column ${column}: expected one of ${allowed.join("|")}, got "${value}"`,
    );
  }
  return value as T;
}
