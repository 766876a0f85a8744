/**
 * A lock file that stops two processes from writing one results directory.
 * A lock left by a process that no longer exists (killed) is taken over.
 *
 * @example
 * ```ts
 * import { acquireLock, LockError } from "./lock.ts";
 * import { assertRejectsMsg } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * const lock = await acquireLock(dir);
 * try {
 *   // a second writer (this process again) is turned away while the lock is held
 *   const e = await assertRejectsMsg(() => acquireLock(dir), /locked/);
 *   if (!(e instanceof LockError)) throw e;
 * } finally {
 *   await lock.release();
 * }
 * await (await acquireLock(dir)).release(); // free again
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { hostname } from "node:os";

/** Raised when the directory is locked by a live process. */
export class LockError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "LockError";
  }
}

/** A held lock. */
export interface Lock {
  /** The lock file path. */
  path: string;
  /** Releases the lock. */
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    // no /proc (not Linux): assume alive unless it is us
    try {
      Deno.statSync("/proc/self");
      return false;
    } catch {
      return true;
    }
  }
}

/** Acquires `<dir>/.lock` or throws LockError naming the holder. */
export async function acquireLock(dir: string): Promise<Lock> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/.lock`;
  const me = { pid: Deno.pid, host: hostname() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const f = await Deno.open(path, { createNew: true, write: true });
      await f.write(new TextEncoder().encode(JSON.stringify(me)));
      f.close();
      return {
        path,
        release: async () => {
          await Deno.remove(path).catch(() => {});
        },
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(await Deno.readTextFile(path));
      } catch {
        // half-written lock: treat as stale
      }
      const sameHost = holder.host === me.host;
      if (holder.pid !== undefined && (!sameHost || alive(holder.pid))) {
        throw new LockError(
          `${dir} is locked by process ${holder.pid} on ${holder.host}; another phasebench is ` +
            `writing there (wait for it, or use --out for another directory; remove ${path} ` +
            `only if that process is gone)`,
        );
      }
      await Deno.remove(path).catch(() => {});
    }
  }
  throw new LockError(`${dir}: could not acquire ${path}`);
}
