package sshlab

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FakeDevicePackage is the import path of the fake device program.
const FakeDevicePackage = "github.com/nettui/nettui/internal/fakedevice/cmd/fakedevice"

const (
	modulePath       = "github.com/nettui/nettui"
	fakeDeviceImport = modulePath + "/internal/fakedevice"
)

var fakeDevice struct {
	once sync.Once
	path string
	err  error
}

// BuildFakeDevice builds the fake device program once per test process and
// returns the path of the binary, which lives outside any test's TempDir
// so that every test of the process can use it.
//
// Binaries are kept in a cache under the system temporary directory, keyed
// by a hash of the program's sources, go.mod, go.sum, the Go version and
// GOFLAGS, so that the test processes of one `go test ./...` build it once.
// Entries unused for a day are removed.
func BuildFakeDevice(t testing.TB) string {
	t.Helper()
	fakeDevice.once.Do(func() { fakeDevice.path, fakeDevice.err = buildFakeDevice() })
	if fakeDevice.err != nil {
		t.Fatalf("sshlab: building the fake device: %v", fakeDevice.err)
	}
	return fakeDevice.path
}

func cacheRoot() string { return filepath.Join(os.TempDir(), "sshlab-fakedevice-cache") }

func buildFakeDevice() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go command is needed to build %s: %w", FakeDevicePackage, err)
	}
	root := cacheRoot()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	removeOldEntries(root, 24*time.Hour)
	srcDir, key := sourceKey()
	if key != "" {
		bin := filepath.Join(root, key, "fakedevice")
		if fi, err := os.Stat(bin); err == nil && fi.Mode()&0o111 != 0 {
			now := time.Now()
			_ = os.Chtimes(filepath.Dir(bin), now, now)
			return bin, nil
		}
	}
	tmp, err := os.MkdirTemp(root, "build-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(tmp, "fakedevice")
	cmd := exec.Command(goTool, "build", "-o", bin, FakeDevicePackage)
	cmd.Dir = srcDir // "" (the test's directory, inside the module) when unknown
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("go build %s: %w\n%s", FakeDevicePackage, err, out)
	}
	// sshd may run the device as another user than the test.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	if key == "" {
		return bin, nil
	}
	final := filepath.Join(root, key)
	if err := os.Rename(tmp, final); err != nil {
		// Another test process got there first: use its binary.
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(final, "fakedevice")); serr != nil {
			return "", err
		}
	}
	return filepath.Join(final, "fakedevice"), nil
}

// sourceKey returns the fake device source directory and the cache key of
// its build, or a key of "" when the sources cannot be found or the program
// imports packages of the module outside internal/fakedevice (which the
// key would not cover).
func sourceKey() (dir, key string) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", ""
	}
	fdDir := filepath.Join(filepath.Dir(file), "..", "fakedevice")
	modRoot := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(modRoot, "go.mod")); err != nil {
		return "", ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %s/%s GOFLAGS=%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, os.Getenv("GOFLAGS"))
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(modRoot, f))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return modRoot, ""
		}
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	var files []string
	err := filepath.WalkDir(fdDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		return modRoot, ""
	}
	sort.Strings(files)
	fset := token.NewFileSet()
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			return modRoot, ""
		}
		f, err := parser.ParseFile(fset, p, b, parser.ImportsOnly)
		if err != nil {
			return modRoot, ""
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, modulePath+"/") && path != fakeDeviceImport && !strings.HasPrefix(path, fakeDeviceImport+"/") {
				return modRoot, ""
			}
		}
		rel, _ := filepath.Rel(fdDir, p)
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
	}
	return modRoot, hex.EncodeToString(h.Sum(nil))[:32]
}

// removeOldEntries removes cache entries (and abandoned builds) not used
// for maxAge.
func removeOldEntries(root string, maxAge time.Duration) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > maxAge {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
}
