/**
 * Column-oriented numeric tables read from CSV — what the checks consume.
 *
 * @example
 * ```ts
 * import { tableFromCsv } from "./table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const t = tableFromCsv("step,lambda_max\n0,1.5\n10,\n", "m.csv");
 * assertEquals(t.column("lambda_max"), [1.5, null]);
 * ```
 * @module
 */
import { CsvError, parseCsv, parseNumberCell } from "./csv.ts";

/** A numeric table: each column is an array (null = empty cell, not measured). */
export class Table {
  /** Creates a table from columns of equal length. */
  constructor(
    readonly file: string,
    readonly columns: string[],
    readonly data: Record<string, (number | null)[]>,
    readonly length: number,
  ) {}

  /** True when the column exists. */
  has(name: string): boolean {
    return name in this.data;
  }

  /** The column's values; throws a CsvError naming the file when it is absent. */
  column(name: string): (number | null)[] {
    const c = this.data[name];
    if (!c) throw new CsvError(this.file, 1, `missing column "${name}"`);
    return c;
  }

  /**
   * Rows where both `x` and `y` are measured (non-null), as paired arrays.
   * NaN/Inf values are kept (a diverged run shows them).
   */
  pairs(x: string, y: string): { x: number[]; y: number[] } {
    const xs = this.column(x), ys = this.column(y);
    const outX: number[] = [], outY: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const a = xs[i], b = ys[i];
      if (a !== null && b !== null) {
        outX.push(a);
        outY.push(b);
      }
    }
    return { x: outX, y: outY };
  }
}

/** Parses CSV text whose cells are all numeric (or empty). */
export function tableFromCsv(text: string, file: string): Table {
  const { header, rows } = parseCsv(text, file);
  const data: Record<string, (number | null)[]> = {};
  for (const h of header) data[h] = [];
  rows.forEach((r, i) => {
    header.forEach((h, j) => data[h].push(parseNumberCell(r[j], file, i + 2, h)));
  });
  return new Table(file, header, data, rows.length);
}

/**
 * Checks a finished run's metrics table: at least one data row (status ok), and a `step`
 * column (when present) that strictly increases — duplicated or reversed rows
 * mean a damaged file. Throws CsvError naming the file and line.
 *
 * @example
 * ```ts
 * import { checkRunMetrics, tableFromCsv } from "./table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(checkRunMetrics(tableFromCsv("step,loss\n0,1\n10,0.5\n", "m.csv")).length, 2);
 * ```
 */
export function checkRunMetrics(t: Table, status = "ok"): Table {
  if (t.length === 0 && status === "ok") {
    throw new CsvError(
      t.file,
      2,
      "no data rows (a finished run's metrics.csv has at least one measured step; the file is damaged or truncated)",
    );
  }
  if (t.has("step")) {
    const steps = t.column("step");
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s === null || !Number.isFinite(s)) {
        throw new CsvError(
          t.file,
          i + 2,
          `step: expected a number, got an empty or non-finite cell`,
        );
      }
      if (i > 0 && !(s > (steps[i - 1] as number))) {
        throw new CsvError(
          t.file,
          i + 2,
          `step ${s} does not follow step ${
            steps[i - 1]
          } (duplicated or reversed rows; steps must increase)`,
        );
      }
    }
  }
  return t;
}

/** Reads a numeric CSV file into a Table. */
export async function readTable(path: string): Promise<Table> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new CsvError(path, null, `cannot read (${(e as Error).message})`);
  }
  return tableFromCsv(text, path);
}
