package lab

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/collectors/redact"
	"github.com/nettui/nettui/internal/netmodel"
)

// labScenarios are every scenario with a fixture under fixtures/lab.
var labScenarios = []*scenario{ovsLACPHealthy, ovsTrunkMismatch, ovsPeerLACPOff, ovsRSTPLoop, bridgeSTPLoop}

// TestLabFixtures diagnoses the bundles the lab scenarios saved
// (fixtures/lab/<scenario>, captures included) and asserts what the live
// tests assert: exactly the same findings, the same model. It needs no
// root and runs everywhere; the live tests rebuild the situations from
// real software where they can run (as root) and, with NETTUI_LAB_RECORD=1,
// save them here again.
func TestLabFixtures(t *testing.T) {
	for _, sc := range labScenarios {
		t.Run(sc.dir, func(t *testing.T) {
			dir := filepath.Join(fixturesDir, sc.dir)
			fsys := os.DirFS(dir)
			raw, err := fs.ReadFile(fsys, "bundle.yaml")
			if err != nil {
				t.Fatalf("%v (record it: sudo NETTUI_LAB_RECORD=1 go test ./internal/lab/ -run TestLab)", err)
			}
			meta, err := bundle.ParseMeta(raw)
			if err != nil {
				t.Fatal(err)
			}
			def, err := platform.Get(netmodel.Linux)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range meta.Devices {
				if d.Platform != string(netmodel.Linux) || d.Status != netmodel.StatusOK || d.Host == "" || len(d.Commands) == 0 {
					t.Errorf("bundle.yaml device %s: platform %s, status %s, host %q, %d commands; want a linux device collected over SSH", d.Name, d.Platform, d.Status, d.Host, len(d.Commands))
				}
				// Every line sent was one of the catalog's (the allow-list).
				for _, c := range d.Commands {
					if _, err := def.Match(c.Command); err != nil {
						t.Errorf("bundle.yaml device %s sent %q: %v", d.Name, c.Command, err)
					}
				}
			}
			if len(meta.Captures) != 1 {
				t.Errorf("bundle.yaml lists %d captures, want 1", len(meta.Captures))
			}
			snap, err := LoadBundle(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if p := Problems(snap); len(p) > 0 {
				t.Errorf("the bundle does not load cleanly:\n  %s", strings.Join(p, "\n  "))
			}
			sc.verify(t, snap)
			noSecrets(t, dir)
		})
	}
}

// noSecrets fails on any secret in clear in a bundle's outputs (collection
// redacts them as they arrive).
func noSecrets(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "devices", "*", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no outputs under %s/devices: %v", dir, err)
	}
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 1; sc.Scan(); n++ {
			if s := redact.Find(sc.Text()); len(s) > 0 {
				t.Errorf("%s:%d: a secret in clear (%d characters)", p, n, len(s[0]))
			}
		}
		f.Close()
	}
}
