package fakedevice

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want ByteSize
		bad  bool
	}{
		{"0", 0, false},
		{"1000", 1000, false},
		{"200MiB", 200 << 20, false},
		{"200 MiB", 200 << 20, false},
		{"64KB", 64000, false},
		{"2GiB", 2 << 30, false},
		{"1M", 1 << 20, false},
		{"12B", 12, false},
		{"-1", 0, true},
		{"MiB", 0, true},
		{"1.5MiB", 0, true},
		{"99999999999999GiB", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v", tt.in, got, err)
		}
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		SpecFile: `
name: sw1
platform: ios
mode: pty
prompt: "sw1#"
paging: true
commands:
  show interfaces trunk: show-interfaces-trunk.txt
faults:
  delay: 50ms
  hang_after_bytes: 1KiB
  commands:
    show interfaces trunk: {trickle: {bytes: 10, every: 5ms}, delay: 1s}
    show tech-support: {huge: 200MiB, reset_after_bytes: 0}
`,
		"show-interfaces-trunk.txt": trunk,
	})
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Name != "sw1" || d.Spec.Mode != ModePTY || !d.Spec.Paging || d.Spec.PageLines != 24 || d.Dir != dir {
		t.Fatalf("spec %+v", d.Spec)
	}
	if !d.Known("show  interfaces trunk") || !d.Known("show tech-support") || d.Known("show version") {
		t.Fatal("Known is wrong")
	}
	f := d.fault("show interfaces trunk")
	if time.Duration(f.Delay) != time.Second || f.Trickle == nil || f.Trickle.Bytes != 10 ||
		f.HangAfterBytes == nil || *f.HangAfterBytes != 1024 {
		t.Fatalf("merged fault %+v", f)
	}
	f = d.fault("show tech-support")
	if f.Huge != 200<<20 || f.ResetAfterBytes == nil || *f.ResetAfterBytes != 0 || time.Duration(f.Delay) != 50*time.Millisecond {
		t.Fatalf("merged fault %+v", f)
	}
	if f := d.fault("show version"); time.Duration(f.Delay) != 50*time.Millisecond || f.Trickle != nil {
		t.Fatalf("device fault %+v", f)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		yaml, want string
	}{
		{"platform: vyos\n", "unknown platform"},
		{"mode: telnet\n", "unknown mode"},
		{"commands: {show x: missing.txt}\n", "missing.txt"},
		{"colour: blue\n", "colour"},
		{"faults: {huge: lots}\n", "invalid byte size"},
		{"faults: {delay: soon}\n", "invalid duration"},
		{"faults: {trickle: {bytes: 0, every: 1ms}}\n", "trickle"},
		{"page_lines: -3\n", "page_lines"},
	}
	for _, tt := range tests {
		dir := writeFiles(t, map[string]string{SpecFile: tt.yaml})
		_, err := Load(dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%q) error %v, want one mentioning %q", tt.yaml, err, tt.want)
		}
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load of a directory without device.yaml succeeded")
	}
}

func TestSpecRoundTrip(t *testing.T) {
	banner := ""
	s := Spec{
		Name: "r1", Platform: "junos", Banner: &banner,
		Commands: map[string]string{"show route": "route.txt"},
		Faults: Faults{
			Fault:    Fault{Delay: Duration(20 * time.Millisecond)},
			Commands: map[string]Fault{"show route": {HangAfterBytes: new(ByteSize(3)), Huge: 5 << 20}},
		},
	}
	b, err := yaml.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{SpecFile: string(b), "route.txt": "inet.0\n"})
	d, err := Load(dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	f := d.fault("show route")
	if *f.HangAfterBytes != 3 || f.Huge != 5<<20 || time.Duration(f.Delay) != 20*time.Millisecond || *d.Spec.Banner != "" {
		t.Fatalf("round trip lost data:\n%s", b)
	}
}
