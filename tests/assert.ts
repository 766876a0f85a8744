/**
 * Test assertions: a thin layer over `node:assert/strict` (stand-in for
 * `@std/assert`, which lives on JSR; swapping it in is a change to this file).
 * @module
 */
import assert from "node:assert/strict";

/** Deep strict equality. */
export function assertEquals(actual: unknown, expected: unknown, msg?: string): void {
  if (msg === undefined) assert.deepStrictEqual(actual, expected);
  else assert.deepStrictEqual(actual, expected, msg);
}

/** Deep strict inequality. */
export function assertNotEquals(actual: unknown, expected: unknown, msg?: string): void {
  if (msg === undefined) assert.notDeepStrictEqual(actual, expected);
  else assert.notDeepStrictEqual(actual, expected, msg);
}

/** String matches a regular expression. */
export function assertMatch(value: string, re: RegExp, msg?: string): void {
  if (msg === undefined) assert.match(value, re);
  else assert.match(value, re, msg);
}

/** Asserts a truthy condition. */
export function assertOk(cond: unknown, msg?: string): asserts cond {
  if (msg === undefined) assert.ok(cond);
  else assert.ok(cond, msg);
}

/** Asserts |actual − expected| ≤ relTol·max(|expected|, tiny). */
export function assertClose(actual: number, expected: number, relTol: number, msg?: string): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  const rel = Math.abs(actual - expected) / scale;
  if (!(rel <= relTol)) {
    throw new assert.AssertionError({
      message: `${
        msg ?? "not close"
      }: actual ${actual}, expected ${expected}, rel err ${rel} > ${relTol}`,
    });
  }
}

/** Asserts that fn throws an error whose message matches `re`; returns the error. */
export function assertThrowsMsg(fn: () => unknown, re: RegExp): Error {
  try {
    fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return e as Error;
  }
  throw new assert.AssertionError({ message: `expected an error matching ${re}` });
}

/** Async version of assertThrowsMsg. */
export async function assertRejectsMsg(fn: () => Promise<unknown>, re: RegExp): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return e as Error;
  }
  throw new assert.AssertionError({ message: `expected a rejection matching ${re}` });
}
