package parse

import (
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nettui/nettui/internal/netmodel"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// fixture is one real output under testdata/<platform>/<capability>/NAME[@ARG].txt.
type fixture struct {
	path       string
	platform   netmodel.Platform
	capability string
	arg        string
}

func fixtures(t testing.TB) []fixture {
	t.Helper()
	paths, err := filepath.Glob("testdata/*/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, p := range paths {
		parts := strings.Split(filepath.ToSlash(p), "/")
		base := strings.TrimSuffix(parts[3], ".txt")
		arg := ""
		if _, a, ok := strings.Cut(base, "@"); ok {
			arg, _ = url.PathUnescape(a)
		}
		out = append(out, fixture{path: p, platform: netmodel.Platform(parts[1]), capability: parts[2], arg: arg})
	}
	return out
}

// parseFixture runs a fixture through Clean and its registered parser.
func parseFixture(t testing.TB, fx fixture) (*netmodel.Device, error) {
	t.Helper()
	e := Lookup(fx.platform, fx.capability)
	if e == nil {
		t.Fatalf("%s: no parser registered for %s/%s", fx.path, fx.platform, fx.capability)
	}
	raw, err := os.ReadFile(fx.path)
	if err != nil {
		t.Fatal(err)
	}
	c := Clean(string(raw))
	d := &netmodel.Device{Name: "dut", Platform: fx.platform}
	err = e.Apply(strings.NewReader(c.Text()), d, fx.path, fx.arg)
	return d, err
}

// TestGolden parses every real output in testdata and compares the model it
// yields with the .golden file beside it (refresh with -update).
func TestGolden(t *testing.T) {
	fxs := fixtures(t)
	if len(fxs) == 0 {
		t.Fatal("no fixtures under testdata")
	}
	for _, fx := range fxs {
		t.Run(strings.TrimPrefix(fx.path, "testdata/"), func(t *testing.T) {
			d, perr := parseFixture(t, fx)
			got := struct {
				Device *netmodel.Device
				Error  string `json:",omitempty"`
			}{Device: d}
			if perr != nil {
				got.Error = perr.Error()
			}
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			// The loader hands parsers a LinesReader: same result.
			raw, _ := os.ReadFile(fx.path)
			d2 := &netmodel.Device{Name: "dut", Platform: fx.platform}
			err2 := Lookup(fx.platform, fx.capability).Apply(NewLinesReader(Clean(string(raw)).Lines), d2, fx.path, fx.arg)
			b2, _ := json.MarshalIndent(d2, "", "  ")
			b1, _ := json.MarshalIndent(d, "", "  ")
			if string(b1) != string(b2) || (err2 == nil) != (perr == nil) {
				t.Errorf("LinesReader gives another result than a plain reader")
			}
			b = append(b, '\n')
			gp := strings.TrimSuffix(fx.path, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(gp, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(b)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", gp, diff)
			}
		})
	}
}

// TestDetect checks that every fixture is recognised from its content alone,
// as the right platform and capability, when no command line says what it is.
func TestDetect(t *testing.T) {
	for _, fx := range fixtures(t) {
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			t.Fatal(err)
		}
		c := Clean(string(raw))
		got, reason := Detect(c, fx.platform)
		if got == nil {
			t.Errorf("%s: not detected: %s", fx.path, reason)
			continue
		}
		if got.Platform != fx.platform || got.Capability != fx.capability {
			t.Errorf("%s: detected as %s/%s, want %s/%s", fx.path, got.Platform, got.Capability, fx.platform, fx.capability)
		}
	}
}
