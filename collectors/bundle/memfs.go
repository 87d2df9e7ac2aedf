package bundle

import (
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// MemFS is a read-only in-memory file system with an index of its folders,
// for unpacked archives and generated sites. Unlike testing/fstest.MapFS,
// opening a file or listing a folder costs no scan of the whole tree, so a
// bundle of 100,000 files loads in linear time.
type MemFS struct {
	files map[string]string
	dirs  map[string][]string // folder → sorted child names
}

// NewMemFS builds a MemFS from slash-separated relative paths.
func NewMemFS(files map[string][]byte) *MemFS {
	m := &MemFS{files: make(map[string]string, len(files)), dirs: map[string][]string{".": nil}}
	for name, b := range files {
		m.files[name] = string(b)
		child := name
		for {
			dir := path.Dir(child)
			_, known := m.dirs[dir]
			m.dirs[dir] = append(m.dirs[dir], path.Base(child))
			if known || dir == "." {
				break
			}
			child = dir
		}
	}
	for d, c := range m.dirs {
		sort.Strings(c)
		m.dirs[d] = c
	}
	return m
}

// Open implements fs.FS.
func (m *MemFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if b, ok := m.files[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(b))}, r: strings.NewReader(b)}, nil
	}
	if _, ok := m.dirs[name]; ok {
		return &memDir{info: memInfo{name: path.Base(name), dir: true}, fsys: m, path: name}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadFile implements fs.ReadFileFS without copying through a reader.
func (m *MemFS) ReadFile(name string) ([]byte, error) {
	s, err := m.ReadText(name)
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// ReadText returns a file's content as a string, without copying it.
func (m *MemFS) ReadText(name string) (string, error) {
	if s, ok := m.files[name]; ok {
		return s, nil
	}
	if _, ok := m.dirs[name]; ok {
		return "", &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	return "", &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// ReadDir implements fs.ReadDirFS.
func (m *MemFS) ReadDir(name string) ([]fs.DirEntry, error) {
	children, ok := m.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(children))
	for _, c := range children {
		out = append(out, m.info(path.Join(name, c)))
	}
	return out, nil
}

func (m *MemFS) info(name string) memInfo {
	if b, ok := m.files[name]; ok {
		return memInfo{name: path.Base(name), size: int64(len(b))}
	}
	return memInfo{name: path.Base(name), dir: true}
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o500
	}
	return 0o400
}
func (i memInfo) ModTime() time.Time         { return time.Time{} }
func (i memInfo) IsDir() bool                { return i.dir }
func (i memInfo) Sys() any                   { return nil }
func (i memInfo) Type() fs.FileMode          { return i.Mode().Type() }
func (i memInfo) Info() (fs.FileInfo, error) { return i, nil }

type memFile struct {
	info memInfo
	r    *strings.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

type memDir struct {
	info memInfo
	fsys *MemFS
	path string
	pos  int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: fs.ErrInvalid}
}
func (d *memDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	names := d.fsys.dirs[d.path]
	var out []fs.DirEntry
	for d.pos < len(names) && (n <= 0 || len(out) < n) {
		out = append(out, d.fsys.info(path.Join(d.path, names[d.pos])))
		d.pos++
	}
	if n > 0 && len(out) == 0 {
		return nil, io.EOF
	}
	return out, nil
}
