// Package docs holds the HTTP API's description, docs/openapi.yaml
// (OpenAPI 3.1), embedded for the server to serve at /v1/openapi.yaml. Its
// report schemas are generated from the templates by `go generate ./docs`;
// a test fails when the committed file differs from what the generator
// makes, and server's contract test checks the service's answers against
// it.
package docs

import _ "embed"

//go:generate go run ./openapigen -file openapi.yaml

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
