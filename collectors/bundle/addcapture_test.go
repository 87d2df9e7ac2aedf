package bundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddCaptureKeepsCommentsAndOrder(t *testing.T) {
	dir := t.TempDir()
	orig := "format: 1\n# the site\nsite: lab\ndevices:\n  - {name: sw1, platform: linux, status: ok}\n"
	if err := os.WriteFile(filepath.Join(dir, "bundle.yaml"), []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "captures"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "captures", "a.pcapng"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := CaptureMeta{File: "captures/a.pcapng", Device: "sw1", Interface: "eth0"}
	for range 2 {
		if err := AddCapture(dir, c); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "bundle.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.Contains(got, "# the site") || strings.Index(got, "site: lab") > strings.Index(got, "devices:") {
		t.Errorf("comments or order lost:\n%s", got)
	}
	if strings.Count(got, "captures/a.pcapng") != 1 {
		t.Errorf("capture listed %d times:\n%s", strings.Count(got, "captures/a.pcapng"), got)
	}
	meta, err := ParseMeta(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Captures) != 1 || meta.Captures[0] != c {
		t.Errorf("captures %+v, want [%+v]", meta.Captures, c)
	}
	if st, _ := os.Stat(filepath.Join(dir, "bundle.yaml")); st.Mode().Perm() != FileMode {
		t.Errorf("bundle.yaml mode %v", st.Mode().Perm())
	}
}

func TestAddCaptureRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bundle.yaml"), []byte("format: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"../outside.pcap", "/abs.pcap", "captures/missing.pcapng"} {
		if err := AddCapture(dir, CaptureMeta{File: file}); err == nil {
			t.Errorf("%s: listed", file)
		}
	}
}
