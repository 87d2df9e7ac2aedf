package main

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/nettui/nettui"

// goList runs `go list` with a template over patterns.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, out)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// nonStdDeps lists the non-standard-library packages pkg depends on.
func nonStdDeps(t *testing.T, pkg string) []string {
	return goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg)
}

// TestImportDirection keeps the package boundaries of the design: the model
// is a leaf on the standard library, parsers and rules are pure, only main
// imports the UI, and no domain package imports the terminal libraries.
func TestImportDirection(t *testing.T) {
	allowed := func(pkg string, ok ...string) {
		t.Helper()
		for _, d := range nonStdDeps(t, pkg) {
			if d == strings.TrimSuffix(pkg, "/...") || strings.HasPrefix(d, strings.TrimSuffix(pkg, "...")) {
				continue
			}
			good := false
			for _, p := range ok {
				if d == p || strings.HasPrefix(d, p+"/") {
					good = true
				}
			}
			if !good {
				t.Errorf("%s depends on %s, which the design does not allow", pkg, d)
			}
		}
	}
	allowed(module + "/internal/netmodel")
	allowed(module+"/collectors/parse", module+"/internal/netmodel")
	allowed(module+"/diagnose/...", module+"/internal/netmodel", "github.com/gaissmai/bart")

	for _, line := range goList(t, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...") {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		inUI := pkg == module+"/ui" || strings.HasPrefix(pkg, module+"/ui/")
		for _, imp := range imports {
			if (imp == module+"/ui" || strings.HasPrefix(imp, module+"/ui/")) && pkg != module && !inUI {
				t.Errorf("%s imports %s: only main may import the UI", pkg, imp)
			}
			if !inUI && pkg != module && strings.HasPrefix(imp, "github.com/charmbracelet/") {
				t.Errorf("%s imports %s: domain packages stay free of terminal libraries", pkg, imp)
			}
			if strings.HasPrefix(pkg, module+"/probes") && strings.HasPrefix(imp, module+"/collectors") ||
				strings.HasPrefix(pkg, module+"/collectors") && strings.HasPrefix(imp, module+"/probes") {
				t.Errorf("%s imports %s: probes and collectors do not import each other", pkg, imp)
			}
		}
	}
}
