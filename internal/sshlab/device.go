package sshlab

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/internal/fakedevice"
)

// DeviceSpec describes a fake device for WriteDevice. The fields are those
// of device.yaml (see fakedevice.Spec) with the outputs given inline.
type DeviceSpec struct {
	Name     string
	Platform string // ios, nxos, eos, asa, junos, linux or esxi; default ios
	Mode     string // fakedevice.ModeExec (default) or fakedevice.ModePTY
	Prompt   string // default from Name and Platform, e.g. "sw1#"
	Banner   *string
	Paging   bool
	// PageLines is the page length while paging; 0 gives 24.
	PageLines int
	// Outputs maps each command to its output text.
	Outputs map[string]string
	Faults  fakedevice.Faults
}

// WriteDevice writes a fake device directory: device.yaml and one file per
// output, named after its command ("show interfaces trunk" →
// show-interfaces-trunk.txt). dir is created if needed.
func WriteDevice(t testing.TB, dir string, d DeviceSpec) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	spec := fakedevice.Spec{
		Name: d.Name, Platform: d.Platform, Mode: d.Mode, Prompt: d.Prompt, Banner: d.Banner,
		Paging: d.Paging, PageLines: d.PageLines, Faults: d.Faults,
		Commands: map[string]string{},
	}
	cmds := make([]string, 0, len(d.Outputs))
	for c := range d.Outputs {
		cmds = append(cmds, c)
	}
	sort.Strings(cmds)
	used := map[string]bool{fakedevice.SpecFile: true, fakedevice.LogFile: true}
	for _, c := range cmds {
		name := fileName(c)
		for i := 2; used[name]; i++ {
			name = strings.TrimSuffix(fileName(c), ".txt") + "-" + strconv.Itoa(i) + ".txt"
		}
		used[name] = true
		spec.Commands[c] = name
		if err := os.WriteFile(filepath.Join(dir, name), []byte(d.Outputs[c]), 0o644); err != nil {
			t.Fatalf("sshlab: %v", err)
		}
	}
	b, err := yaml.Marshal(spec)
	if err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, fakedevice.SpecFile), b, 0o644); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
}

// NewDevice writes d into a new directory of the test and returns the
// Device to pass to Start.
func NewDevice(t testing.TB, d DeviceSpec) Device {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "device")
	WriteDevice(t, dir, d)
	return Device{Name: d.Name, Dir: dir}
}

// fileName turns a command into a file name.
func fileName(cmd string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(cmd) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	name := strings.TrimLeft(b.String(), ".")
	if name == "" {
		name = "output"
	}
	if len(name) > 100 {
		name = name[:100]
	}
	return name + ".txt"
}
