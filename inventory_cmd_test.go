package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

const invTestdata = "collectors/inventory/testdata/"

// runInventory runs `inventory ARGS...` and returns stdout, stderr and the
// exit status the command asks for.
func runInventory(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := newInventoryCmd(&globalOptions{})
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	err := cmd.Execute()
	code := 0
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) {
			t.Fatalf("error %v is not an exitError", err)
		}
		code = ee.code
	}
	return out.String(), errb.String(), code
}

func TestInventoryCheck(t *testing.T) {
	out, _, code := runInventory(t, "check", invTestdata+"good-native.yaml")
	if code != 0 || out != invTestdata+"good-native.yaml: nettui inventory, 9 devices, 4 links: no problems\n" {
		t.Errorf("good: exit %d, output %q", code, out)
	}

	bad := invTestdata + "bad-native.yaml"
	out, _, code = runInventory(t, "check", bad)
	if code != exitUnusable {
		t.Errorf("bad: exit %d, want %d", code, exitUnusable)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2*28 {
		t.Fatalf("bad: %d lines, want a message and an explanation for each of 28 problems:\n%s", len(lines), out)
	}
	for i := 0; i < len(lines); i += 2 {
		if !strings.HasPrefix(lines[i], bad+":") || !strings.HasPrefix(lines[i+1], "    ") || len(lines[i+1]) < 20 {
			t.Errorf("problem %d not as FILE:LINE:COL: message + explanation:\n%s\n%s", i/2+1, lines[i], lines[i+1])
		}
	}
	if lines[0] != bad+`:4:3: unknown key "platfrom" in defaults; did you mean platform?` {
		t.Errorf("first problem %q", lines[0])
	}

	out, _, code = runInventory(t, "check", filepath.Join(t.TempDir(), "missing.yaml"))
	if code != exitUnusable || !strings.Contains(out, "cannot read the inventory") {
		t.Errorf("missing file: exit %d, output %q", code, out)
	}
}

func TestInventoryShow(t *testing.T) {
	out, errOut, code := runInventory(t, "show", invTestdata+"good.ssh_config")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"good.ssh_config: ssh_config inventory, 4 devices",
		"NAME     PLATFORM  HOST                 PORT  USER    JUMP     SITE  TAGS",
		"nx1      nxos      nx1.lab.example.net  2222  netops  bastion  lab2  -",
		"bastion  linux     192.0.2.10           -     netops  -        -     -",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	out, _, code = runInventory(t, "show", "--format", "json", invTestdata+"good-ansible.yaml")
	var got struct {
		Format  string
		Devices []struct{ Name, Platform, Jump string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("json: exit %d, output %s", code, out)
	}
	if got.Format != "ansible" || len(got.Devices) != 12 || got.Devices[5].Name != "hub-srx" || got.Devices[5].Platform != "junos" {
		t.Errorf("json: %+v", got)
	}

	out, errOut, code = runInventory(t, "show", invTestdata+"bad-native.yaml")
	if code != exitUnusable || !strings.Contains(out, "core1 ") || !strings.Contains(errOut, "bad-native.yaml:4:3: unknown key") {
		t.Errorf("bad: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if _, _, code := runInventory(t, "show", "--format", "xml", invTestdata+"good-native.yaml"); code != exitUnusable {
		t.Errorf("--format xml: exit %d", code)
	}
}
