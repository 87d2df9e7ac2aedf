package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAtomicModesAndReadBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "b1")
	meta := &Meta{Site: "lab", Devices: []DeviceMeta{{Name: "sw1", Platform: "ios", Status: "ok",
		Commands: []CommandMeta{{File: "devices/sw1/show-interfaces-trunk.txt", Command: "show interfaces trunk", Duration: "12ms"}}}}}
	trunk, err := os.ReadFile("../parse/testdata/ios/show-interfaces-trunk/genie-iosxe-trunk-1.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"devices/sw1/show-interfaces-trunk.txt": trunk}
	if err := Write(dir, meta, files); err != nil {
		t.Fatal(err)
	}
	err = filepath.Walk(filepath.Dir(dir), func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if p == filepath.Dir(dir) {
			return nil
		}
		want := FileMode
		if info.IsDir() {
			want = DirMode
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode().Perm(), want)
		}
		if filepath.Base(p)[0] == '.' {
			t.Errorf("temporary left behind: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := snap.Device("sw1")
	if d == nil || len(d.SwitchPorts) == 0 {
		t.Fatalf("written bundle does not read back: %+v", d)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "bundle.yaml"))
	m, err := ParseMeta(raw)
	if err != nil || len(m.Devices) != 1 || len(m.Devices[0].Commands) != 1 || m.Devices[0].Commands[0].Duration != "12ms" {
		t.Fatalf("bundle.yaml: %v %+v", err, m)
	}
}

func TestWriteRefusesNonEmptyAndBadPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, &Meta{}, nil); !errors.Is(err, ErrExists) {
		t.Fatalf("non-empty target: got %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "devices/../../x", "a//b", "bundle.yaml", ""} {
		if err := Write(filepath.Join(t.TempDir(), "b"), &Meta{}, map[string][]byte{bad: nil}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// An empty existing folder is fine (rename replaces it).
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(empty, &Meta{Site: "s"}, map[string][]byte{"devices/a/x.txt": []byte("x\n")}); err != nil {
		t.Fatal(err)
	}
}
