/**
 * The public API: what `import ... from "pulumi-vobiz"` offers at run time is the resource, the
 * look-ups, the provider factory and the error classes, nothing internal (types are checked by the typedoc
 * build and the packed-package test).
 */
import * as root from "../../provider/index";
import { VobizError } from "../../provider/common/errors";

test("exports the resource, the look-ups, the provider factory and the error classes only", () => {
  expect(Object.keys(root).sort()).toEqual(
    [
      "VobizCredential",
      "getCredential",
      "getCredentials",
      "createCredentialProvider",
      "VobizError",
      "VobizConfigError",
      "VobizApiError",
      "VobizAuthenticationError",
      "VobizPermissionError",
      "VobizNotFoundError",
      "VobizConflictError",
      "VobizValidationError",
      "VobizRateLimitError",
      "VobizServerError",
      "VobizConnectionError",
      "VobizResponseError",
      "VobizPartialCreateError",
    ].sort(),
  );
});

test("every exported error class is a VobizError", () => {
  const errors = Object.entries(root).filter(([name]) => name.endsWith("Error"));
  expect(errors.length).toBe(13);
  for (const [, cls] of errors) {
    expect((cls as { prototype: unknown }).prototype instanceof VobizError || cls === VobizError).toBe(true);
  }
});
