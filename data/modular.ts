/**
 * Modular arithmetic (SPEC §6.1): all pairs (a, b) ∈ [0, p)², label a∘b mod p,
 * a seeded train/test split, and two encodings — one-hot(a) ⊕ one-hot(b) for
 * MLPs and the token sequence `a b =` for transformers.
 *
 * @example
 * ```ts
 * import { modularTask } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const data = modularTask({ kind: "modular", p: 7, op: "add", trainFraction: 0.5, encoding: "onehot", seed: 0 });
 * assertEquals(data.train.n + data.test.n === 49, true);
 * ```
 * @module
 */
import { rngFor } from "../core/rng.ts";
import type { ModularTask } from "../core/config/task_schema.ts";
import { oneHot, type Split, type TaskData } from "./types.ts";

/** The four operations. */
export type ModularOp = ModularTask["op"];

/**
 * Whether n is prime (trial division; fine for the moduli used here).
 *
 * @example
 * ```ts
 * import { isPrime } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(isPrime(97) && !isPrime(91), true);
 * ```
 */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * The inverse of b modulo p (extended Euclid); throws when none exists.
 *
 * @example
 * ```ts
 * import { modInverse } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(modInverse(3, 7), 5); // 3·5 = 15 ≡ 1 (mod 7)
 * ```
 */
export function modInverse(b: number, p: number): number {
  let [r0, r1] = [((b % p) + p) % p, p];
  let [s0, s1] = [1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1) throw new RangeError(`${b} has no inverse modulo ${p}`);
  return ((s0 % p) + p) % p;
}

/**
 * a∘b mod p for one pair (div: a · b⁻¹, b ≠ 0).
 *
 * @example
 * ```ts
 * import { modularLabel } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(modularLabel(2, 3, "sub", 7), 6);
 * ```
 */
export function modularLabel(
  a: number,
  b: number,
  op: ModularOp,
  p: number,
): number {
  switch (op) {
    case "add":
      return (a + b) % p;
    case "sub":
      return (((a - b) % p) + p) % p;
    case "mul":
      return (a * b) % p;
    case "div":
      return (a * modInverse(b, p)) % p;
  }
}

/** The pairs of a modular task with their labels, in (a, b) lexicographic order. */
export interface ModularPairs {
  /** First operands. */
  a: Int32Array;
  /** Second operands. */
  b: Int32Array;
  /** a∘b mod p. */
  label: Int32Array;
}

/**
 * All pairs (a, b) ∈ [0, p)² (b ≠ 0 for div) and their labels. Throws when
 * `mul`/`div` is asked of a non-prime p.
 *
 * @example
 * ```ts
 * import { modularPairs } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(modularPairs(5, "div").a.length, 5 * 4); // b ≠ 0
 * ```
 */
export function modularPairs(p: number, op: ModularOp): ModularPairs {
  if (!Number.isInteger(p) || p < 2) {
    throw new RangeError(`task.p: expected an integer ≥ 2, got ${p}`);
  }
  if ((op === "mul" || op === "div") && !isPrime(p)) {
    throw new RangeError(
      `task.p: op "${op}" needs a prime modulus (so that every b ≠ 0 is invertible and the nonzero residues form a group), got p = ${p}, which is not prime`,
    );
  }
  const bStart = op === "div" ? 1 : 0;
  const n = p * (p - bStart);
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const label = new Int32Array(n);
  const inv = new Int32Array(p);
  if (op === "div") { for (let j = 1; j < p; j++) inv[j] = modInverse(j, p); }
  let k = 0;
  for (let i = 0; i < p; i++) {
    for (let j = bStart; j < p; j++) {
      a[k] = i;
      b[k] = j;
      label[k] = op === "div" ? (i * inv[j]) % p : modularLabel(i, j, op, p);
      k++;
    }
  }
  return { a, b, label };
}

/**
 * The seeded split of `n` pairs: sorted train and test indices,
 * `round(trainFraction · n)` of them in train (at least one in each).
 *
 * @example
 * ```ts
 * import { modularSplit } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const { train, test } = modularSplit(49, 0.3, 0);
 * assertEquals(train.length + test.length === 49, true);
 * ```
 */
export function modularSplit(
  n: number,
  trainFraction: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  if (!(trainFraction > 0 && trainFraction < 1)) {
    throw new RangeError(
      `task.trainFraction: expected a number in (0, 1), got ${trainFraction}`,
    );
  }
  const nTrain = Math.min(n - 1, Math.max(1, Math.round(trainFraction * n)));
  const perm = rngFor(seed, "task:modular", "split").permutation(n);
  const train = perm.slice(0, nTrain).sort();
  const test = perm.slice(nTrain).sort();
  return { train, test };
}

function encode(
  pairs: ModularPairs,
  idx: Int32Array,
  p: number,
  encoding: ModularTask["encoding"],
): Split {
  const n = idx.length;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = pairs.label[idx[i]];
  const y = oneHot(labels, p);
  if (encoding === "tokens") {
    const x = new Int32Array(n * 3);
    for (let i = 0; i < n; i++) {
      x[3 * i] = pairs.a[idx[i]];
      x[3 * i + 1] = pairs.b[idx[i]];
      x[3 * i + 2] = p; // the "=" token
    }
    return { x, y, n, xShape: [3], yShape: [p], labels };
  }
  const x = new Float32Array(n * 2 * p);
  for (let i = 0; i < n; i++) {
    x[i * 2 * p + pairs.a[idx[i]]] = 1;
    x[i * 2 * p + p + pairs.b[idx[i]]] = 1;
  }
  return { x, y, n, xShape: [2 * p], yShape: [p], labels };
}

/**
 * The modular-arithmetic task. One-hot encoding: inputs one-hot(a) ⊕
 * one-hot(b) (2p features); token encoding: `a b =` with "=" the token p
 * (sequence length 3, vocab p + 1). Targets are one-hot(a∘b) (p outputs).
 * The split depends on `task.seed` only.
 *
 * @example
 * ```ts
 * import { modularTask } from "./modular.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const data = modularTask({ kind: "modular", p: 7, op: "mul", trainFraction: 0.3, encoding: "tokens", seed: 1 });
 * assertEquals(data.vocab, 8);
 * ```
 */
export function modularTask(cfg: ModularTask): TaskData {
  const pairs = modularPairs(cfg.p, cfg.op);
  const { train, test } = modularSplit(
    pairs.a.length,
    cfg.trainFraction,
    cfg.seed,
  );
  const tokens = cfg.encoding === "tokens";
  return {
    kind: "modular",
    inputDim: tokens ? 3 : 2 * cfg.p,
    outputDim: cfg.p,
    ...(tokens ? { vocab: cfg.p + 1 } : {}),
    classification: true,
    train: encode(pairs, train, cfg.p, cfg.encoding),
    test: encode(pairs, test, cfg.p, cfg.encoding),
  };
}
