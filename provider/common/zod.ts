/**
 * zod, loaded when a schema is first used rather than with the package: a Pulumi program only
 * declares resources and never validates, so `import "pulumi-vobiz"` does not pay for the load
 * (about 70 ms of zod 4 on every `pulumi` command).
 */
import type * as zod from "zod";

/** The zod namespace, required on first use. */
export function loadZod(): typeof zod.z {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (require("zod") as typeof zod).z;
}
