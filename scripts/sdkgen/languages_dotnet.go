//go:build legacydotnet

package main

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The .NET generator left pkg/v3 early in 2026 (it moved to the pulumi-dotnet repository, whose
// module the proxy here refuses), so this file is built against the pkg/v3 version that
// pulumi-yaml requires (v3.206.0; building the YAML language host downloads it anyway). See
// scripts/gen-sdks.sh.
func init() {
	generators["dotnet"] = func(pkg *schema.Package) (map[string][]byte, error) {
		// The generator downloads the package logo (a Pulumi logo on GitHub when the schema names
		// none) for the NuGet package; nothing outside the package registries is reachable here,
		// so every request it makes gets a 1x1 placeholder image instead of going out.
		http.DefaultClient.Transport = placeholderLogo{}
		return dotnet.GeneratePackage(tool, pkg, nil, nil)
	}
}

// placeholderLogo answers every request with a 1x1 transparent PNG, without any network access.
type placeholderLogo struct{}

func (placeholderLogo) RoundTrip(req *http.Request) (*http.Response, error) {
	var body bytes.Buffer
	if err := png.Encode(&body, image.NewNRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		return nil, err
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"image/png"}},
		Body:          io.NopCloser(&body),
		ContentLength: int64(body.Len()),
		Request:       req,
	}, nil
}
