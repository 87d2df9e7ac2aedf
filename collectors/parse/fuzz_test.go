package parse

import (
	"os"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// FuzzParsers feeds arbitrary text to every registered parser (the first
// argument picks which), seeded with every real fixture. No parser may panic,
// and a returned error must carry a line within the input.
func FuzzParsers(f *testing.F) {
	for _, fx := range fixtures(f) {
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			f.Fatal(err)
		}
		for i, e := range Entries() {
			if e.Platform == fx.platform && e.Capability == fx.capability {
				f.Add(uint16(i), string(raw))
			}
		}
	}
	f.Fuzz(func(t *testing.T, idx uint16, raw string) {
		ents := Entries()
		e := ents[int(idx)%len(ents)]
		c := Clean(raw)
		if len(c.Lines) != strings.Count(strings.TrimSuffix(raw, "\n"), "\n")+1 {
			t.Fatalf("Clean changed the line count")
		}
		d := &netmodel.Device{Name: "fuzz", Platform: e.Platform}
		err := e.Apply(strings.NewReader(c.Text()), d, "f.txt", "arg")
		if pe, ok := err.(*Error); ok && (pe.Line < 0 || pe.Line > len(c.Lines)+1) {
			t.Fatalf("%s/%s: error line %d outside input of %d lines", e.Platform, e.Capability, pe.Line, len(c.Lines))
		}
		Detect(c, "")
	})
}
