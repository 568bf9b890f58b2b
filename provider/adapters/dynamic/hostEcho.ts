/**
 * One print less in Pulumi's dynamic-provider host. The host prints every error that `check`,
 * `diff`, `read` or `delete` throws to its stderr, as `${error}: ${error.stack}`, before it returns
 * the error to the engine; the engine shows that stderr under the stack (the message twice and a
 * stack trace) and the returned error under the resource (the message once). The provider's own
 * errors ({@link VobizError}) say everything in their message, so for them that print is dropped
 * and the message is shown once, under the resource. Any other error (a bug) keeps its stack.
 */
import { VobizError } from "../../common/errors";

/** The exact texts the host is about to print for errors of ours, each dropped once. */
const expected = new Set<string>();
let original: typeof console.error | undefined;

/** What the host prints for `error` (`console.error(`${e}: ${e.stack}`)` in its catch blocks). */
function hostText(error: Error): string {
  return `${String(error)}: ${error.stack}`;
}

/** Replaces `console.error`, once, with one that drops the texts in {@link expected}. */
function installFilter(): void {
  if (original) return;
  const print = console.error.bind(console);
  original = print;
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && expected.delete(args[0])) return;
    print(...args);
  };
}

/**
 * Runs a host call whose errors the host prints (check, diff, read, delete); an error of ours is
 * rethrown unchanged, with the host's print of it dropped.
 */
export async function withoutHostEcho<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof VobizError) {
      installFilter();
      expected.add(hostText(e));
    }
    throw e;
  }
}
