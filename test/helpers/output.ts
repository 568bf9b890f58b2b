/**
 * Capturing what code under test prints: everything written through `console.*` and
 * `process.stdout`/`process.stderr` while a test runs, so a test can assert on it (e.g. that no
 * secret was printed) instead of letting it reach the console.
 */
import { renderedText } from "./secrets";

/** What {@link captureOutput} returns. */
export interface CapturedOutput {
  /** Everything captured so far, one chunk per line. */
  text(): string;
  /** Puts the real console and streams back. */
  restore(): void;
}

/**
 * Starts capturing. `console.*` calls are recorded and silenced (an Error argument is recorded
 * with every rendering of it, so its stack and properties are searched too); stream writes are
 * recorded and still written, except the client's `[pulumi-vobiz]` debug traces, which are only
 * recorded to keep the test output readable.
 */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const spies: jest.SpyInstance[] = [];
  for (const m of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    spies.push(
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        chunks.push(args.map((a) => (a instanceof Error ? renderedText(a) : String(a))).join(" "));
      }),
    );
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    spies.push(
      jest.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
        chunks.push(text);
        if (text.startsWith("[pulumi-vobiz]")) return true;
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write),
    );
  }
  return {
    text: () => chunks.join("\n"),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
