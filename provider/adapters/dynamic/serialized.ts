/**
 * The provider object that Pulumi serializes into every VobizCredential's state (`__provider`).
 *
 * It is deliberately a thin reference: each method loads the implementation from the installed
 * `pulumi-vobiz` package at call time. So the state holds a few kilobytes per resource, no
 * secret and no client, and `refresh`/`destroy` of existing resources run the code of the
 * package version installed now (Pulumi runs the provider stored in the *old* state for those,
 * pulumi/pulumi#16826), so upgrading the package fixes existing stacks too.
 *
 * It calls `engineCredentialProvider` (see provider.ts), the provider adapted to how the engine
 * reports check failures.
 *
 * When the package cannot be loaded (uninstalled while the stack still holds credentials, the
 * usual case being a change that removes the last credentials and the package together), each
 * method fails with a message saying what happened and what to do, instead of Node's bare
 * `Cannot find module`.
 *
 * Everything the methods need is in this module and captures nothing else: the closure
 * serializer copies the function text of the methods and of `installedProvider` (once, shared by
 * all seven), and `require` here resolves from the directory the dynamic-provider process runs in
 * (the Pulumi project), where the package is installed.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The installed package's engine provider, or an error that says what to do when it is gone. */
function installedProvider(): Required<dynamic.ResourceProvider> {
  try {
    return require("pulumi-vobiz/provider").engineCredentialProvider;
  } catch (e) {
    if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
    throw new Error(
      `The pulumi-vobiz package is not installed where this Pulumi program runs (${(e as Error).message.split("\n")[0]}), ` +
        "but the stack still holds VobizCredential resources, which need it for every operation, deletes included. " +
        "Install it again the way it was installed (the packed tarball: `npm install <path>/pulumi-vobiz-<version>.tgz`; " +
        "or `npm install pulumi-vobiz` from a registry that has it), then run `pulumi up` or `pulumi destroy`. To stop using it: " +
        "remove the VobizCredential resources first (pulumi up or pulumi destroy), and uninstall the package after.",
    );
  }
}

export const serializedCredentialProvider: dynamic.ResourceProvider = {
  configure: (req) => installedProvider().configure(req),
  check: (olds, news) => installedProvider().check(olds, news),
  diff: (id, olds, news) => installedProvider().diff(id, olds, news),
  create: (inputs) => installedProvider().create(inputs),
  read: (id, props) => installedProvider().read(id, props),
  update: (id, olds, news) => installedProvider().update(id, olds, news),
  delete: (id, props) => installedProvider().delete(id, props),
};
