/**
 * `tensorflow`: `@tensorflow/tfjs-node` (libtensorflow), loaded dynamically
 * only when asked for and only when installed on purpose; its bits depend on
 * the library and the CPU.
 *
 * @example
 * ```ts
 * import { tensorflow } from "./tensorflow.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(tensorflow.identity, "machine");
 * ```
 * @module
 */
import { type BackendDescriptor, BackendError } from "./types.ts";

/** The message shown when tfjs-node is not installed. */
export const TFJS_NODE_MISSING =
  "backend tensorflow: @tensorflow/tfjs-node is not installed; install it with " +
  "`deno install --allow-scripts=npm:@tensorflow/tfjs-node npm:@tensorflow/tfjs-node@4.22.0` " +
  "(its install step downloads libtensorflow), or use --backend wasm";

/** The `tensorflow` backend. */
export const tensorflow: BackendDescriptor<"tensorflow"> = {
  name: "tensorflow",
  summary: "`@tensorflow/tfjs-node`, loaded dynamically only when asked for",
  syncRead: true,
  transposeFreeMatMul: false,
  splitKMatMulGradient: false,
  identity: "machine",
  async prepare() {
    // Never let a dynamic import fetch the package: it is installed only on purpose.
    const installed = [
      "node_modules/@tensorflow/tfjs-node/package.json",
      "node_modules/.deno/@tensorflow+tfjs-node@4.22.0/node_modules/@tensorflow/tfjs-node/package.json",
    ].some((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    });
    if (!installed) throw new BackendError(TFJS_NODE_MISSING);
    try {
      const spec = "npm:@tensorflow/tfjs-node@4.22.0";
      await import(spec);
      return { device: "libtensorflow" };
    } catch (e) {
      throw new BackendError(
        `${TFJS_NODE_MISSING} (found the package but it did not load: ${
          String((e as Error).message).split("\n")[0]
        })`,
      );
    }
  },
};
