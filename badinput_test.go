package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputIPsecBundle damages a copy of the ipsec-weak case the ways
// pasted and collected outputs get damaged — a refused command, CRLF line
// ends with colour escapes, pager remnants, an output cut off — and checks
// that each damaged file gets a located error (device, file, line) while the
// rest of the bundle is still diagnosed.
func TestBadInputIPsecBundle(t *testing.T) {
	src := "fixtures/cases/ipsec-weak"
	dir := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := string(b)
		switch filepath.ToSlash(rel) {
		case "devices/hq-srx/show-security-ike-sa.txt":
			s = "root@hq-srx> show security ike security-associations detial\n                                                    ^\nsyntax error, expecting <command>.\n"
		case "devices/br-rtr/show-running-config-crypto.txt":
			s = strings.ReplaceAll(s, "\n", "\r\n")
			s = strings.Replace(s, "crypto", "\x1b[1mcrypto\x1b[0m", 1)
		case "devices/hq-srx/show-configuration-security.txt":
			lines := strings.Split(s, "\n")
			for i := 5; i < len(lines); i += 7 {
				lines[i] = " --More-- \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08          \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08" + lines[i]
			}
			s = strings.Join(lines, "\n")
		case "devices/br-rtr/show-crypto-ipsec-sa.txt":
			s = s[:len(s)/2] // cut off mid-output
		}
		out := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			return err
		}
		return os.WriteFile(out, []byte(s), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, "diagnose", dir, "--format", "json")
	if code == 3 {
		t.Fatalf("the bundle is still usable: exit 3, %s", stderr)
	}
	keys, r := reportKeys(t, out)
	var refused bool
	for _, d := range r.Devices {
		for _, e := range d.Errors {
			if e.Device == "hq-srx" && strings.HasSuffix(e.File, "show-security-ike-sa.txt") && e.Line == 3 && strings.Contains(e.Msg, "syntax error") {
				refused = true
			}
			if e.Line < 0 || e.File == "" || e.Device == "" {
				t.Errorf("unlocated error: %+v", e)
			}
		}
	}
	var cut bool
	for _, d := range r.Devices {
		for _, e := range d.Errors {
			t.Logf("%s", e.Error())
			cut = cut || strings.HasSuffix(e.File, "show-crypto-ipsec-sa.txt")
		}
	}
	if !cut {
		t.Errorf("the output cut in half gives no located error")
	}
	if !refused {
		t.Errorf("the refused command is not reported at its line: %+v", r.Devices)
	}
	// The configurations (CRLF/ANSI on one end, pager remnants on the
	// other) still give the weak-parameter verdicts of both phases.
	for _, want := range []string{"IPSEC-WEAK-CRYPTO br-rtr ↔ hq-srx phase 1", "IPSEC-WEAK-CRYPTO br-rtr ↔ hq-srx phase 2"} {
		found := false
		for _, k := range keys {
			found = found || k == want
		}
		if !found {
			t.Errorf("%q missing from %v", want, keys)
		}
	}
}
