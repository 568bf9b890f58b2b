/**
 * The provider object that Pulumi serializes into every VobizCredential's state (`__provider`).
 *
 * It is deliberately a thin reference: each method loads the implementation from the installed
 * `pulumi-vobiz` package at call time. So the state holds a few hundred bytes per resource, no
 * secret and no client, and `refresh`/`destroy` of existing resources run the code of the
 * package version installed now (Pulumi runs the provider stored in the *old* state for those,
 * pulumi/pulumi#16826), so upgrading the package fixes existing stacks too.
 *
 * It calls `engineCredentialProvider` (see provider.ts), the provider adapted to how the engine
 * reports check failures.
 *
 * Everything a method needs must be inside its body: the closure serializer copies the function
 * text, and `require` here resolves from the directory the dynamic-provider process runs in (the
 * Pulumi project), where the package is installed.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as dynamic from "@pulumi/pulumi/dynamic";

export const serializedCredentialProvider: dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-vobiz/provider").engineCredentialProvider.configure(req),
  check: (olds, news) => require("pulumi-vobiz/provider").engineCredentialProvider.check(olds, news),
  diff: (id, olds, news) => require("pulumi-vobiz/provider").engineCredentialProvider.diff(id, olds, news),
  create: (inputs) => require("pulumi-vobiz/provider").engineCredentialProvider.create(inputs),
  read: (id, props) => require("pulumi-vobiz/provider").engineCredentialProvider.read(id, props),
  update: (id, olds, news) =>
    require("pulumi-vobiz/provider").engineCredentialProvider.update(id, olds, news),
  delete: (id, props) => require("pulumi-vobiz/provider").engineCredentialProvider.delete(id, props),
};
