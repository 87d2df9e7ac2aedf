package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/redact"
)

// TestNoSecretReachesOutput gathers every fixture that holds a secret (PSKs,
// passwords, communities, xfrm keys), opens them as one bundle and checks
// that no secret appears in the JSON or text report, the log, or the lines
// the dashboard would show.
func TestNoSecretReachesOutput(t *testing.T) {
	dir := t.TempDir()
	var secrets []string
	n := 0
	for _, root := range []string{"collectors/parse/testdata", "fixtures"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var found []string
			for _, l := range strings.Split(string(b), "\n") {
				for _, s := range redact.Find(l) {
					if len(s) >= 4 {
						found = append(found, s)
					}
				}
			}
			if len(found) == 0 {
				return nil
			}
			secrets = append(secrets, found...)
			// testdata/<platform>/<capability>/x.txt or fixtures/.../devices/<dev>/<cap>.txt
			parts := strings.Split(filepath.ToSlash(p), "/")
			dev := parts[len(parts)-2]
			if root == "collectors/parse/testdata" {
				dev = parts[3] + "-" + strings.TrimSuffix(parts[5], ".txt")
			}
			n++
			out := filepath.Join(dir, "d"+dev, filepath.Base(p))
			if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
				return err
			}
			return os.WriteFile(out, b, 0o600)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The demo and case bundles are stored redacted, as collected: put
	// cleartext keys back where their tokens stand (as a bundle pasted by
	// hand would hold them) and add them to the bundle.
	tokenRE := regexp.MustCompile(`REDACTED-L\d+-D[01]-[0-9a-f]{16}`)
	clear := map[string]string{}
	found := map[string]bool{} // secrets the redactor recognises in context
	for _, root := range []string{"fixtures/demo", "fixtures/cases"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil || !tokenRE.Match(b) {
				return err
			}
			out := tokenRE.ReplaceAllStringFunc(string(b), func(tok string) string {
				if c, ok := clear[tok]; ok {
					return c
				}
				c := fmt.Sprintf("Cleartext-Key-%02d-xyzzy", len(clear))
				clear[tok] = c
				secrets = append(secrets, c)
				return c
			})
			parts := strings.Split(filepath.ToSlash(p), "/")
			n++
			dst := filepath.Join(dir, "c"+parts[len(parts)-2], filepath.Base(p))
			if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
				return err
			}
			for _, l := range strings.Split(out, "\n") {
				for _, f := range redact.Find(l) {
					found[f] = true
				}
			}
			return os.WriteFile(dst, []byte(out), 0o600)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range clear {
		if !found[c] {
			t.Errorf("%s, put back in place of a token, is not recognised as a secret where it stands", c)
		}
	}
	if n < 3 || len(secrets) < 3 {
		t.Fatalf("only %d fixtures with %d secrets found: the test would prove little", n, len(secrets))
	}
	logf := filepath.Join(t.TempDir(), "log")
	var outputs []string
	for _, format := range []string{"json", "text"} {
		out, stderr, _ := runCLIlog(t, logf, "diagnose", dir, "--format", format)
		outputs = append(outputs, out, stderr)
	}
	logb, _ := os.ReadFile(logf)
	outputs = append(outputs, string(logb))
	snap, err := bundle.Open(dir)
	if err != nil && snap == nil {
		t.Fatal(err)
	}
	if snap != nil {
		b, _ := json.Marshal(snap.Files)
		outputs = append(outputs, string(b))
		b, _ = json.Marshal(snap.Devices)
		outputs = append(outputs, string(b))
	}
	for _, s := range secrets {
		for i, o := range outputs {
			if strings.Contains(o, s) {
				t.Errorf("secret %q (from a fixture) appears in output %d", s, i)
			}
		}
	}
	t.Logf("%d fixtures with %d secrets checked", n, len(secrets))
}
