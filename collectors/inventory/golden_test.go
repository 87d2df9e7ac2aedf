package inventory

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// inputs lists the example inventories in testdata.
func inputs(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".golden") && !strings.HasSuffix(f, ".md") {
			if st, err := os.Stat(f); err == nil && !st.IsDir() {
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out
}

// render prints what Parse makes of a file: the problems as
// `nettui inventory check` shows them, then the resolved view.
func render(inv *Inventory, probs []Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s\n", inv.Format)
	fmt.Fprintf(&b, "problems: %d\n", len(probs))
	for _, p := range probs {
		fmt.Fprintf(&b, "  %s\n      %s\n", p, p.Explain)
	}
	if inv.Site != "" {
		fmt.Fprintf(&b, "site: %s\n", inv.Site)
	}
	fmt.Fprintf(&b, "devices: %d\n", len(inv.Devices))
	for _, d := range inv.Devices {
		fmt.Fprintf(&b, "  %-12s platform=%s host=%s port=%d user=%s jump=%s site=%s tags=%s line=%d\n",
			d.Name, d.Platform, d.Host, d.Port, d.User, d.Jump, d.Site, strings.Join(d.Tags, ","), d.Line)
	}
	if len(inv.Links) > 0 {
		fmt.Fprintf(&b, "links: %d\n", len(inv.Links))
		for _, l := range inv.Links {
			fmt.Fprintf(&b, "  %s -- %s\n", l[0], l[1])
		}
	}
	if len(inv.Expect) > 0 {
		var keys []string
		for k := range inv.Expect {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintln(&b, "expect:")
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s: %s\n", k, inv.Expect[k])
		}
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, in := range inputs(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			inv, probs := Parse(filepath.Base(in), data)
			got := render(inv, probs)
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
