package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File and folder modes of a written bundle: outputs can hold addresses,
// names and configuration, so only the owner reads them.
const (
	FileMode fs.FileMode = 0o600
	DirMode  fs.FileMode = 0o700
)

// ErrExists is returned when the target folder exists and is not empty.
var ErrExists = errors.New("folder exists and is not empty")

// Write writes a bundle (bundle.yaml and files, keyed by slash-separated
// paths relative to the bundle) to dir atomically: everything goes into a
// temporary folder beside dir, which is renamed to dir at the end, so a
// reader sees either no bundle or a complete one. Files are 0600, folders
// 0700. dir must not exist or be empty. The caller redacts the outputs
// before they get here: Write stores bytes as given.
func Write(dir string, meta *Meta, files map[string][]byte) error {
	if meta.Format == 0 {
		meta.Format = FormatVersion
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if err := checkRelPath(name); err != nil {
			return err
		}
		if name == "bundle.yaml" {
			return fmt.Errorf("bundle: %q is written from the metadata", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("bundle: %s: %w", dir, ErrExists)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("bundle: %w", err)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, DirMode); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, DirMode); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	for _, name := range names {
		if err := writeFile(filepath.Join(tmp, filepath.FromSlash(name)), files[name]); err != nil {
			return err
		}
	}
	y, err := yaml.Marshal(meta)
	if err != nil {
		return fmt.Errorf("bundle: bundle.yaml: %w", err)
	}
	if err := writeFile(filepath.Join(tmp, "bundle.yaml"), y); err != nil {
		return err
	}
	// An empty target was allowed above; remove it so the rename can take
	// its place (Remove fails, and so does the rename, if something was
	// written into it meanwhile).
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	ok = true
	return nil
}

func writeFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), DirMode); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, FileMode)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("bundle: %s: %w", p, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("bundle: %s: %w", p, err)
	}
	return f.Close()
}

// checkRelPath refuses absolute paths, "..", empty elements and anything
// that is not a clean slash-separated relative path.
func checkRelPath(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.Clean(name) != name || !fs.ValidPath(name) {
		return fmt.Errorf("bundle: bad file path %q", name)
	}
	return nil
}
