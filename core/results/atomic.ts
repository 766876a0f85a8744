/**
 * Atomic file writes: write to a temporary file beside the target, then rename.
 * A crash never leaves a half-written file under the final name.
 *
 * @example
 * ```ts
 * import { writeTextAtomic } from "./atomic.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextAtomic(`${dir}/x.csv`, "step,loss\n0,1\n");
 * assertEquals(await Deno.readTextFile(`${dir}/x.csv`), "step,loss\n0,1\n");
 * assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["x.csv"]); // no temporary left
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { dirname } from "node:path";

let counter = 0;

/** Writes text atomically (temp file + rename), creating parent folders. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await writeBytesAtomic(path, new TextEncoder().encode(text));
}

/** Writes bytes atomically (temp file + rename), creating parent folders. */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.${counter++}.tmp`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Removes a file if it exists. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** True when the path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
