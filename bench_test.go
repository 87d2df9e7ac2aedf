package main

import (
	"fmt"
	"testing"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/synth"
)

// hostsFor returns the number of ESXi hosts whose synthetic site (one IOS
// stack and one NX-OS switch per 24 hosts) has exactly devices devices.
func hostsFor(devices int) int {
	for h := devices; h > 0; h-- {
		if h+2*((h+23)/24) == devices {
			return h
		}
	}
	panic(fmt.Sprintf("no site of %d devices", devices))
}

// BenchmarkParseDiagnose loads a synthetic site in the real output formats
// (4 uplinks and 50 port groups per host) from memory, parses every output
// and runs every rule: the whole offline path but the disk.
func BenchmarkParseDiagnose(b *testing.B) {
	for _, devices := range []int{200, 2000} {
		files := map[string][]byte{}
		for name, f := range synth.Site(hostsFor(devices), 1) {
			files[name] = f.Data
		}
		fsys := bundle.NewMemFS(files)
		b.Run(fmt.Sprintf("devices=%d", devices), func(b *testing.B) {
			b.ReportAllocs()
			var findings int
			for b.Loop() {
				snap, err := bundle.Load(fsys)
				if err != nil {
					b.Fatal(err)
				}
				findings = len(diagnose.Run(snap))
			}
			b.ReportMetric(float64(findings), "findings")
		})
	}
}
