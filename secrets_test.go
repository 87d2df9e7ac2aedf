package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
	if n == 0 {
		t.Fatal("no fixture with a secret found: the test would prove nothing")
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
