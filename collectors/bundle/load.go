package bundle

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/collectors/redact"
	"github.com/nettui/nettui/internal/netmodel"
)

// maxFileSize bounds one output file read into memory.
const maxFileSize = 256 << 20

// Open loads a bundle from a folder or a .tar.gz/.tgz of one.
func Open(p string) (*netmodel.Snapshot, error) {
	fsys, err := OpenFS(p)
	if err != nil {
		return nil, err
	}
	return Load(fsys)
}

// OpenFS returns a bundle folder or .tar.gz/.tgz as a file system rooted at
// the bundle (for Load, and for reading its captures).
func OpenFS(p string) (fs.FS, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnusable, err)
	}
	if st.IsDir() {
		return os.DirFS(p), nil
	}
	if strings.HasSuffix(p, ".tar.gz") || strings.HasSuffix(p, ".tgz") {
		fsys, err := readTarGz(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnusable, p, err)
		}
		return fsys, nil
	}
	return nil, fmt.Errorf("%w: %s is neither a folder nor a .tar.gz bundle", ErrUnusable, p)
}

// file is one candidate output found in the bundle.
type file struct {
	device   string
	path     string // relative to the bundle root
	raw      string
	env      *Envelope
	cleaned  *parse.Cleaned
	entry    *parse.Entry
	arg      string
	platform netmodel.Platform
}

// Load reads a bundle from fsys (its root is the bundle root). It fails only
// when nothing can be diagnosed; problems with single files are recorded in
// the snapshot (device parse errors, unrecognised inputs).
func Load(fsys fs.FS) (*netmodel.Snapshot, error) {
	snap := &netmodel.Snapshot{Expect: map[string]string{}}
	var meta *Meta
	if b, err := fs.ReadFile(fsys, "bundle.yaml"); err == nil {
		if meta, err = ParseMeta(b); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: bundle.yaml: %v", ErrUnusable, err)
	}

	devRoot := "."
	if meta != nil {
		devRoot = "devices"
	} else if st, err := fs.Stat(fsys, "devices"); err == nil && st.IsDir() {
		devRoot = "devices"
	}
	devices := map[string]*netmodel.Device{}
	getDev := func(name string) *netmodel.Device {
		d := devices[name]
		if d == nil {
			d = &netmodel.Device{Name: name, Status: netmodel.StatusOK}
			devices[name] = d
			snap.Devices = append(snap.Devices, d)
		}
		return d
	}
	if meta != nil {
		snap.Site = meta.Site
		for k, v := range meta.Expect {
			snap.Expect[k] = v
		}
		for _, dm := range meta.Devices {
			d := getDev(dm.Name)
			d.Platform = netmodel.NormPlatform(dm.Platform)
			if dm.Status != "" {
				d.Status = dm.Status
			}
			d.Error = dm.Error
		}
		snap.Declared = meta.declaredLinks()
		// Captures are listed here; decoding them is the capture probe's
		// job (the caller fills in what they show).
		for _, c := range meta.Captures {
			snap.Captures = append(snap.Captures, &netmodel.Capture{File: c.File, Device: c.Device, Interface: c.Interface})
		}
	}

	entries, err := fs.ReadDir(fsys, devRoot)
	if err != nil {
		if meta != nil && errors.Is(err, fs.ErrNotExist) {
			entries = nil
		} else {
			return nil, fmt.Errorf("%w: %v", ErrUnusable, err)
		}
	}
	type devDir struct {
		dev  *netmodel.Device
		path string
	}
	var dirs []devDir
	for _, de := range entries {
		p := path.Join(devRoot, de.Name())
		if !de.IsDir() {
			if devRoot == "." && (de.Name() == "bundle.yaml" || strings.HasPrefix(de.Name(), ".")) {
				continue
			}
			snap.Unrecognised = append(snap.Unrecognised, netmodel.Unrecognised{Path: p, Reason: "not inside a device folder (put each device's outputs in a folder named after it)"})
			continue
		}
		if devRoot == "." && (de.Name() == "captures" || strings.HasPrefix(de.Name(), ".")) {
			continue
		}
		dirs = append(dirs, devDir{getDev(de.Name()), p})
	}

	// Devices are independent: read and parse them in parallel, each
	// worker touching only its own device.
	// One redaction key per load: equal secrets on two devices get equal
	// tokens, so reuse shows; nothing recovers the secret.
	red := redact.New()
	results := make([]deviceResult, len(dirs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(dirs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = loadDevice(fsys, dirs[i].path, dirs[i].dev, red)
			}
		}()
	}
	for i := range dirs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, r := range results {
		snap.Files = append(snap.Files, r.files...)
		snap.Unrecognised = append(snap.Unrecognised, r.unrecognised...)
	}
	for _, d := range snap.Devices {
		sort.Strings(d.Capabilities)
		if d.Status == netmodel.StatusOK && len(d.Errors) > 0 {
			d.Status = netmodel.StatusPartial
		}
	}
	snap.SortDevices()
	sort.SliceStable(snap.Files, func(i, j int) bool { return snap.Files[i].Path < snap.Files[j].Path })
	sort.SliceStable(snap.Unrecognised, func(i, j int) bool { return snap.Unrecognised[i].Path < snap.Unrecognised[j].Path })
	snap.ResolveLinks()
	if !anyParsed(snap) {
		why := "no device output found"
		if len(snap.Unrecognised) > 0 {
			why = fmt.Sprintf("none of %d files is a recognised device output", len(snap.Unrecognised))
		}
		return snap, fmt.Errorf("%w: %s", ErrUnusable, why)
	}
	return snap, nil
}

func order(f *file) int {
	if f.entry == nil {
		return 1 << 30
	}
	return f.entry.Order
}

// readDeviceDir lists one device folder's outputs (and their envelopes).
func readDeviceDir(fsys fs.FS, dir, device string) ([]*file, []netmodel.Unrecognised) {
	var out []*file
	var uns []netmodel.Unrecognised
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, []netmodel.Unrecognised{{Path: dir, Device: device, Reason: err.Error()}}
	}
	names := map[string]bool{}
	for _, e := range ents {
		names[e.Name()] = true
	}
	for _, e := range ents {
		p := path.Join(dir, e.Name())
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() {
			uns = append(uns, netmodel.Unrecognised{Path: p, Device: device, Reason: "sub-folder inside a device folder"})
			continue
		}
		if strings.HasSuffix(name, ".json") && names[strings.TrimSuffix(name, ".json")+".txt"] {
			continue // envelope, read with its output
		}
		info, err := e.Info()
		if err == nil && info.Size() > maxFileSize {
			uns = append(uns, netmodel.Unrecognised{Path: p, Device: device, Reason: fmt.Sprintf("file larger than %d MiB", maxFileSize>>20)})
			continue
		}
		raw, err := readText(fsys, p)
		if err != nil {
			uns = append(uns, netmodel.Unrecognised{Path: p, Device: device, Reason: err.Error()})
			continue
		}
		if isBinary(raw) {
			uns = append(uns, netmodel.Unrecognised{Path: p, Device: device, Reason: "binary file, not command output"})
			continue
		}
		f := &file{device: device, path: p, raw: raw}
		if strings.HasSuffix(name, ".txt") {
			if eb, err := fs.ReadFile(fsys, strings.TrimSuffix(p, ".txt")+".json"); err == nil {
				var env Envelope
				if err := json.Unmarshal(eb, &env); err == nil {
					f.env = &env
				} else {
					uns = append(uns, netmodel.Unrecognised{Path: strings.TrimSuffix(p, ".txt") + ".json", Device: device, Reason: "envelope is not valid JSON: " + err.Error()})
				}
			}
		}
		f.cleaned = parse.Clean(f.raw)
		out = append(out, f)
	}
	return out, uns
}

// readText reads a file as a string; in-memory bundles hand theirs over
// without a copy.
func readText(fsys fs.FS, p string) (string, error) {
	if t, ok := fsys.(interface{ ReadText(string) (string, error) }); ok {
		return t.ReadText(p)
	}
	b, err := fs.ReadFile(fsys, p)
	return string(b), err
}

// isBinary looks for a NUL byte in the first 8000 bytes, as git does.
func isBinary(s string) bool {
	return strings.IndexByte(s[:min(len(s), 8000)], 0) >= 0
}

// detect decides which parser reads f: the envelope's command, the echoed
// command line, the file name (<capability>[@arg].txt), then the content.
func detect(f *file, platform netmodel.Platform) (*parse.Entry, string) {
	base := path.Base(f.path)
	stem := strings.TrimSuffix(base, path.Ext(base))
	capName, argPart, hasArg := strings.Cut(stem, "@")
	if hasArg {
		if a, err := url.PathUnescape(argPart); err == nil {
			f.arg = a
		} else {
			f.arg = argPart
		}
	}
	for _, cmd := range []string{envCommand(f), f.cleaned.Command} {
		if cmd == "" {
			continue
		}
		if platform == "" {
			// Without a platform the same command line may be several
			// platforms' (show ip route: IOS and FRR's vtysh): the content
			// decides among them.
			c := *f.cleaned
			c.Command = cmd
			if e, _ := parse.Detect(&c, ""); e != nil {
				if _, arg := parse.MatchCommand(cmd, e.Platform); arg != "" {
					f.arg = arg
				}
				return e, ""
			}
			continue
		}
		// The device's own commands first, then those of the software a
		// Linux host runs (ovs-vsctl, vtysh).
		for _, p := range hosted(platform) {
			if e, arg := parse.MatchCommand(cmd, p); e != nil {
				if arg != "" {
					f.arg = arg
				}
				return e, ""
			}
		}
	}
	if platform != "" {
		for _, p := range hosted(platform) {
			if e := parse.Lookup(p, capName); e != nil {
				return e, ""
			}
		}
	}
	e, reason := parse.Detect(f.cleaned, platform)
	if e == nil {
		if c := envCommand(f); c != "" {
			reason = fmt.Sprintf("command %q is not one nettui reads", c)
		}
	}
	return e, reason
}

// hosted lists the platforms whose parsers may read a device's outputs:
// its own, then those it carries (netmodel.Platform.Carries). An unknown
// platform stays unknown (every parser).
func hosted(p netmodel.Platform) []netmodel.Platform {
	return append([]netmodel.Platform{p}, p.Carried()...)
}

func envCommand(f *file) string {
	if f.env == nil {
		return ""
	}
	return f.env.Command
}

// readTarGz loads a gzipped tar into memory as an fs.FS, stripping a single
// top-level folder if every entry is inside one.
func readTarGz(p string) (fs.FS, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	var total int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		if !fs.ValidPath(name) {
			return nil, fmt.Errorf("unsafe path %q in archive", h.Name)
		}
		total += h.Size
		if h.Size > maxFileSize || total > 4*maxFileSize {
			return nil, fmt.Errorf("archive too large")
		}
		b, err := io.ReadAll(io.LimitReader(tr, h.Size))
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	prefix := ""
	for n := range files {
		top, _, ok := strings.Cut(n, "/")
		if !ok {
			prefix = ""
			break
		}
		if prefix == "" {
			prefix = top + "/"
		} else if prefix != top+"/" {
			prefix = ""
			break
		}
	}
	if prefix != "" {
		stripped := map[string][]byte{}
		for n, b := range files {
			stripped[strings.TrimPrefix(n, prefix)] = b
		}
		files = stripped
	}
	return NewMemFS(files), nil
}

// anyParsed reports whether at least one output was read into the model.
func anyParsed(s *netmodel.Snapshot) bool {
	for _, d := range s.Devices {
		if len(d.Capabilities) > 0 {
			return true
		}
	}
	return false
}

// deviceResult is what loading one device folder yields besides the
// device itself.
type deviceResult struct {
	files        []*netmodel.RawFile
	unrecognised []netmodel.Unrecognised
}

// loadDevice reads one device folder, recognises each output and merges
// it into d, in each parser's order so operational state wins over config.
func loadDevice(fsys fs.FS, dir string, d *netmodel.Device, red *redact.Redactor) deviceResult {
	var res deviceResult
	files, uns := readDeviceDir(fsys, dir, d.Name)
	for _, f := range files {
		red.Lines(f.cleaned.Lines) // before anything reads, shows or keeps them
		f.raw = ""
	}
	res.unrecognised = uns
	if d.Platform == "" {
		// Not in bundle.yaml: the platform most outputs look like.
		votes := map[netmodel.Platform]int{}
		for _, f := range files {
			if e, _ := detect(f, ""); e != nil {
				votes[e.Platform]++
			}
		}
		best, n := netmodel.PlatformUnknown, 0
		for p, v := range votes {
			if v > n || (v == n && p < best) {
				best, n = p, v
			}
		}
		d.Platform = best
	}
	for _, f := range files {
		f.platform = d.Platform
		e, reason := detect(f, d.Platform)
		if e == nil && f.cleaned.DeviceErr != nil {
			// A refused command is the device's answer, not an unknown file.
			de := f.cleaned.DeviceErr
			pe := &netmodel.ParseError{Device: d.Name, File: f.path, Command: f.cleaned.Command, Line: de.Line, Msg: "the device refused the command: " + de.Text}
			d.Errors = append(d.Errors, pe)
			res.files = append(res.files, &netmodel.RawFile{Device: d.Name, Path: f.path, Command: f.cleaned.Command, Lines: f.cleaned.Lines, Errors: []*netmodel.ParseError{pe}})
			continue
		}
		if e == nil {
			res.unrecognised = append(res.unrecognised, netmodel.Unrecognised{Path: f.path, Device: d.Name, Reason: reason})
			continue
		}
		f.entry = e
	}
	sort.SliceStable(files, func(i, j int) bool {
		oi, oj := order(files[i]), order(files[j])
		if oi != oj {
			return oi < oj
		}
		return files[i].path < files[j].path
	})
	for _, f := range files {
		if f.entry == nil {
			continue
		}
		rf := &netmodel.RawFile{
			Device: d.Name, Path: f.path, Platform: f.entry.Platform,
			Capability: f.entry.Capability, Command: f.entry.CommandFor(f.arg), Lines: f.cleaned.Lines,
		}
		if f.env != nil && f.env.Command != "" {
			rf.Command = f.env.Command
		}
		res.files = append(res.files, rf)
		fail := func(line int, msg string) {
			pe := &netmodel.ParseError{Device: d.Name, File: f.path, Command: rf.Command, Line: line, Msg: msg}
			rf.Errors = append(rf.Errors, pe)
			d.Errors = append(d.Errors, pe)
		}
		if !d.Platform.Carries(f.entry.Platform) && d.Platform != "" {
			fail(0, fmt.Sprintf("output is %s but the device is %s; read as %s", f.entry.Platform, d.Platform, f.entry.Platform))
		}
		if de := f.cleaned.DeviceErr; de != nil {
			fail(de.Line, "the device refused the command: "+de.Text)
			continue
		}
		if f.entry.NeedsArg && f.arg == "" {
			fail(0, "per-object output without the object's name: name the file "+f.entry.Capability+"@NAME.txt or keep the command line above the output")
			continue
		}
		if f.env != nil && f.env.Truncated {
			fail(len(f.cleaned.Lines), "output was truncated at collection; what follows the cut is missing")
		}
		err := f.entry.Apply(parse.NewLinesReader(f.cleaned.Lines), d, f.path, f.arg)
		if err != nil {
			line, msg := 0, err.Error()
			var pe *parse.Error
			if errors.As(err, &pe) {
				line, msg = pe.Line, pe.Msg
			}
			fail(line, msg)
		} else if !d.HasCapability(f.entry.Capability) {
			d.Capabilities = append(d.Capabilities, f.entry.Capability)
		}
	}
	return res
}
