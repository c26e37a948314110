// Package ui is the page for clerks that `govreport serve` answers at /:
// a form for a report, generated from the format's description
// (/v1/formats/{id}/form), that checks every edit through
// /v1/reports/validate, marks each problem at its field or table cell,
// previews the pages as PNG and downloads the PDF and DOCX.
//
// The page is plain HTML, CSS and JavaScript modules embedded in the
// binary: nothing is loaded from another host and nothing is built, so
// the page works on a government intranet with no internet and the
// binary stays the one thing to deploy. It uses no framework: the form is
// a few hundred lines of DOM code driven by the format's data, which a
// framework would not shorten, and a framework would be a dependency to
// vendor, audit and update for every agency that runs the service. The
// JavaScript is ES2020 modules, which every browser of the last five years
// runs.
//
// Every answer carries a strict Content-Security-Policy (no inline script
// or style, no other origin, no framing), so that text a clerk pastes into
// the form can never run as script.
package ui

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// CSP is the Content-Security-Policy of the page and its files: scripts,
// styles, images and requests from the server itself only (images also
// from blob: and data:, the preview's PNG pages), no plugins, no <base>,
// and no framing by another page.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Files returns the page's files: index.html and what it loads.
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed pattern names the directory
	}
	return sub
}

// Handler serves the page: / is index.html, /ui/NAME the file NAME. Each
// answer has the Content-Security-Policy, no MIME sniffing, no referrer,
// and is revalidated on each load (the ETag-less embed files are small;
// a new binary must not leave an old script in the browser's cache).
func Handler() http.Handler {
	files := http.FileServerFS(Files())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-cache")
		name := strings.TrimPrefix(r.URL.Path, "/ui")
		if r.URL.Path == "/" {
			name = "/index.html"
		}
		if name == "/" || name == "/index.html" && r.URL.Path != "/" || path.Clean(name) != name {
			http.NotFound(w, r)
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = name
		if name == "/index.html" {
			// FileServer redirects /index.html to ./; serve it by content.
			b, err := fs.ReadFile(Files(), "index.html")
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			h.Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			if r.Method != http.MethodHead {
				w.Write(b)
			}
			return
		}
		files.ServeHTTP(w, r2)
	})
}
