// Command sdkgen writes the language SDKs of a Pulumi package schema with the code generators of
// github.com/pulumi/pulumi/pkg/v3 (codegen/go, codegen/nodejs, codegen/python, codegen/dotnet),
// the ones `pulumi package gen-sdk` reaches through each language's host. The hosts cannot be
// built here (the Go module proxy refuses their modules, and the Node.js host built as a fallback
// predates GeneratePackage), so scripts/gen-sdks.sh builds this program in a throwaway module and
// runs it on the schema the plugin serves. It is never a committed build output.
//
//	sdkgen -schema schema.json -out DIR LANGUAGE...
//
// writes DIR/LANGUAGE/... for each LANGUAGE, after removing what was there.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool names this program in the header of every generated file.
const tool = "pulumi-vobiz sdkgen"

// generator writes one language's SDK files (path relative to the language's directory -> content).
type generator func(pkg *schema.Package) (map[string][]byte, error)

// generators holds the languages this build knows (see languages*.go: which ones depends on the
// pkg/v3 version a build uses).
var generators = map[string]generator{}

// noReferences is the schema loader: the vobiz schema refers to no other package.
type noReferences struct{}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen loads no other package", name)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen loads no other package", d.Name)
}

func (noReferences) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen loads no other package", name)
}

func (noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen loads no other package", d.Name)
}

// bind reads and validates the schema (against the package metaschema, as gen-sdk does).
func bind(file string) (*schema.Package, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s is not a package schema: %w", file, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not bind: %s", file, diags.Error())
	}
	return pkg, nil
}

func known() string {
	names := make([]string, 0, len(generators))
	for name := range generators {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func run() error {
	schemaFile := flag.String("schema", "", "the package schema (JSON), e.g. from `pulumi package get-schema`")
	out := flag.String("out", "", "directory that gets one folder per language")
	flag.Parse()
	if *schemaFile == "" || *out == "" || flag.NArg() == 0 {
		return fmt.Errorf("usage: sdkgen -schema FILE -out DIR LANGUAGE... (this build knows: %s)", known())
	}
	for _, language := range flag.Args() {
		gen, ok := generators[language]
		if !ok {
			return fmt.Errorf("this sdkgen build has no %q generator (it knows: %s)", language, known())
		}
		// A fresh bind per language: each generator records its language's settings on the package.
		pkg, err := bind(*schemaFile)
		if err != nil {
			return err
		}
		files, err := gen(pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", language, err)
		}
		dir := filepath.Join(*out, language)
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		for rel, content := range files {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("%s: %d files in %s\n", language, len(files), dir)
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}
