// Package collect runs a site's collection: for every device of an
// inventory, one SSH connection, the platform catalog's commands in order
// (per-object commands after the output that lists their objects), each
// output redacted as it arrives, into an in-memory bundle that the
// diagnosis reads directly and that Write saves atomically. Devices are
// collected concurrently up to a limit; a failed device never holds up the
// others.
package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/collectors/redact"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/internal/netmodel"
)

// State is where a device is in its collection.
type State string

// Device states, in the order a device goes through them.
const (
	Queued     State = "queued"
	Connecting State = "connecting"
	Collecting State = "collecting"
	Done       State = "done"
	Failed     State = "failed"
)

// Progress is one step of one device, reported as it happens.
type Progress struct {
	Device string
	State  State
	// Done and Total count the device's commands (Total grows when a
	// listing names per-object commands).
	Done, Total int
	// Command is the command being run (Collecting).
	Command string
	// Err, Kind and Hint say why a device failed (Failed), or why a
	// command failed on a device that goes on; Kind is one of
	// transport.Classify's kinds (auth, host key, timeout, refused, jump
	// host unreachable, reset, other).
	Err        error
	Kind, Hint string
	// HostKey is set when the device stopped on a host key that is not in
	// known_hosts: the fingerprint to show and the key to accept.
	HostKey *transport.UnknownHostKeyError
}

// Defaults of Options.
const (
	DefaultConcurrency    = 16
	DefaultCommandTimeout = 2 * time.Minute
	DefaultDeviceTimeout  = 10 * time.Minute
	DefaultMaxOutput      = 64 << 20
)

// Options of a collection run.
type Options struct {
	// SSH says where ssh configuration, keys and known_hosts come from.
	SSH transport.Config
	// Prompter asks for passwords and passphrases (nil: agent and
	// unencrypted keys only). Answers are never stored or logged.
	Prompter transport.Prompter
	// Logger receives progress and errors, never outputs or secrets.
	Logger *slog.Logger
	// Concurrency bounds the devices collected at once.
	Concurrency int
	// CommandTimeout bounds each command, DeviceTimeout a whole device
	// (connection included).
	CommandTimeout, DeviceTimeout time.Duration
	// MaxOutput caps each command's output; what is beyond is dropped and
	// the output marked truncated.
	MaxOutput int64
	// Progress receives every step of every device, from the collecting
	// goroutines; it must return quickly. Nil ignores them.
	Progress func(Progress)
	// DeviceDone receives each device's redacted files and bundle.yaml
	// entry as soon as the device is done or failed (from the collecting
	// goroutines), so a caller can show results before the run ends.
	DeviceDone func(files map[string][]byte, meta bundle.DeviceMeta)
	// Only limits the run to these devices (re-collection); nil means all.
	Only []string
	// Capabilities limits the commands to these capabilities (names as in
	// the platform catalog); nil means every command of the catalog.
	Capabilities []string
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// Result is a collected bundle, in memory and already redacted.
type Result struct {
	Meta  bundle.Meta
	Files map[string][]byte
}

// FS is the bundle as a file system for bundle.Load.
func (r *Result) FS() fs.FS {
	files := make(map[string][]byte, len(r.Files)+1)
	for k, v := range r.Files {
		files[k] = v
	}
	if y, err := bundleYAML(&r.Meta); err == nil {
		files["bundle.yaml"] = y
	}
	return bundle.NewMemFS(files)
}

// Write saves the bundle to dir (atomically; files 0600, folders 0700).
func (r *Result) Write(dir string) error { return bundle.Write(dir, &r.Meta, r.Files) }

// Snapshot parses and returns the collected bundle's model.
func (r *Result) Snapshot() (*netmodel.Snapshot, error) { return bundle.Load(r.FS()) }

// Run collects every device of inv. It returns when every device is done
// or failed, or when ctx is cancelled (then every connection is closed
// within a second and the devices not finished are failed with the
// cancellation). The error is only for a run that could not start.
func Run(ctx context.Context, inv *inventory.Inventory, o Options) (*Result, error) {
	if inv == nil || len(inv.Devices) == 0 {
		return nil, errors.New("collect: the inventory has no device")
	}
	o.defaults()
	devs := inv.Devices
	if o.Only != nil {
		devs = nil
		for _, name := range o.Only {
			d := inv.Device(name)
			if d == nil {
				return nil, fmt.Errorf("collect: %s is not in the inventory", name)
			}
			devs = append(devs, *d)
		}
	}
	red := redact.New()
	res := &Result{Files: map[string][]byte{}}
	res.Meta = bundle.Meta{Format: bundle.FormatVersion, Site: inv.Site, Created: o.Now().UTC().Truncate(time.Second), Expect: inv.Expect}
	for _, l := range inv.Links {
		res.Meta.Links = append(res.Meta.Links, []string{l[0].Device + ":" + l[0].Port, l[1].Device + ":" + l[1].Port})
	}
	metas := make([]bundle.DeviceMeta, len(devs))
	var mu sync.Mutex // guards res.Files
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for i := range devs {
		o.report(Progress{Device: devs[i].Name, State: Queued})
	}
	for i := range devs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d := devs[i]
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				metas[i] = failedMeta(d, ctx.Err(), 0)
				o.fail(d.Name, ctx.Err(), 0, 0)
				return
			}
			defer func() { <-sem }()
			files, meta := collectDevice(ctx, inv, d, o, red)
			if o.DeviceDone != nil {
				o.DeviceDone(files, meta)
			}
			mu.Lock()
			for k, v := range files {
				res.Files[k] = v
			}
			mu.Unlock()
			metas[i] = meta
		}(i)
	}
	wg.Wait()
	res.Meta.Devices = metas
	return res, nil
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.CommandTimeout == 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	if o.DeviceTimeout == 0 {
		o.DeviceTimeout = DefaultDeviceTimeout
	}
	if o.MaxOutput == 0 {
		o.MaxOutput = DefaultMaxOutput
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

func (o *Options) report(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

func (o *Options) fail(device string, err error, done, total int) {
	kind, hint := transport.Classify(err)
	p := Progress{Device: device, State: Failed, Err: err, Kind: kind, Hint: hint, Done: done, Total: total}
	var uk *transport.UnknownHostKeyError
	if errors.As(err, &uk) {
		p.HostKey = uk
	}
	o.Logger.Warn("device failed", "device", device, "kind", kind, "err", err)
	o.report(p)
}

func failedMeta(d inventory.Device, err error, took time.Duration) bundle.DeviceMeta {
	kind, _ := transport.Classify(err)
	m := bundle.DeviceMeta{Name: d.Name, Platform: string(d.Platform), Status: netmodel.StatusFailed, Error: kind + ": " + err.Error(), Host: d.Host}
	if took > 0 {
		m.Duration = took.Round(time.Millisecond).String()
	}
	return m
}

// jumpSpec turns an inventory device's jump chain into a ProxyJump spec.
func jumpSpec(inv *inventory.Inventory, d inventory.Device) (string, error) {
	var hops []string
	seen := map[string]bool{d.Name: true}
	for j := d.Jump; j != ""; {
		if seen[j] {
			return "", fmt.Errorf("jump host loop through %s", j)
		}
		seen[j] = true
		jd := inv.Device(j)
		if jd == nil {
			return "", fmt.Errorf("jump host %s is not in the inventory", j)
		}
		h := jd.Host
		if h == "" {
			h = jd.Name // an ssh config alias
		}
		if jd.User != "" {
			h = jd.User + "@" + h
		}
		if jd.Port != 0 {
			h = fmt.Sprintf("%s:%d", h, jd.Port)
		}
		hops = append([]string{h}, hops...)
		j = jd.Jump
	}
	return strings.Join(hops, ","), nil
}

// Connect opens an SSH connection to one device of the inventory the way a
// collection does (ssh config, jump hosts, host keys, prompts), for a
// remote packet capture. The caller closes the client.
func Connect(ctx context.Context, inv *inventory.Inventory, name string, o Options) (*transport.Client, error) {
	o.defaults()
	d := inv.Device(name)
	if d == nil {
		return nil, fmt.Errorf("%s is not in the inventory", name)
	}
	jump, err := jumpSpec(inv, *d)
	if err != nil {
		return nil, err
	}
	r, err := transport.Resolve(o.SSH, transport.Target{Name: d.Name, Host: d.Host, Port: d.Port, User: d.User, Jump: jump})
	if err != nil {
		return nil, err
	}
	return transport.Dial(ctx, r, transport.DialOpts{Prompter: o.Prompter, Logger: o.Logger.With("device", d.Name)})
}

// collectDevice runs one device from connection to the last command.
func collectDevice(ctx context.Context, inv *inventory.Inventory, d inventory.Device, o Options, red *redact.Redactor) (map[string][]byte, bundle.DeviceMeta) {
	start := o.Now()
	ctx, cancel := context.WithTimeout(ctx, o.DeviceTimeout)
	defer cancel()
	files := map[string][]byte{}
	failWith := func(err error, done, total int) (map[string][]byte, bundle.DeviceMeta) {
		o.fail(d.Name, err, done, total)
		return files, failedMeta(d, err, o.Now().Sub(start))
	}
	def, err := platform.Get(d.Platform)
	if err != nil {
		return failWith(err, 0, 0)
	}
	jump, err := jumpSpec(inv, d)
	if err != nil {
		return failWith(err, 0, 0)
	}
	meta := bundle.DeviceMeta{Name: d.Name, Platform: string(d.Platform), Status: netmodel.StatusOK, Host: d.Host}
	queue := make([]platform.Cmd, 0, len(def.Commands))
	perObject := map[string][]platform.Command{} // source capability → per-object commands
	// The inventory may pick commands: each must be a catalog command, or
	// it is refused here and never sent.
	for _, line := range d.Commands {
		cmd, err := def.Match(line)
		if err != nil {
			meta.Commands = append(meta.Commands, bundle.CommandMeta{Command: line, Error: "refused, not sent: " + err.Error()})
			o.report(Progress{Device: d.Name, State: Connecting, Err: err, Kind: "not allowed", Hint: "only read-only commands of the platform's catalog are sent"})
			o.Logger.Warn("command refused", "device", d.Name, "command", line, "err", err)
			continue
		}
		queue = append(queue, cmd)
	}
	for _, c := range def.Commands {
		if len(d.Commands) > 0 {
			break // the inventory's choice replaces the catalog's list
		}
		if o.Capabilities != nil && !slices.Contains(o.Capabilities, c.Capability) {
			continue
		}
		if c.PerObject() {
			perObject[c.ArgFrom] = append(perObject[c.ArgFrom], c)
			continue
		}
		cmd, err := def.Build(c.Capability, "")
		if err != nil {
			return failWith(err, 0, 0)
		}
		queue = append(queue, cmd)
	}
	if len(queue) == 0 {
		err := errors.New("nothing to collect: every command the inventory names was refused")
		m := failedMeta(d, err, 0)
		m.Commands = meta.Commands
		o.fail(d.Name, err, 0, 0)
		return files, m
	}
	o.report(Progress{Device: d.Name, State: Connecting})
	r, err := transport.Resolve(o.SSH, transport.Target{Name: d.Name, Host: d.Host, Port: d.Port, User: d.User, Jump: jump})
	if err != nil {
		return failWith(err, 0, 0)
	}
	client, err := transport.Dial(ctx, r, transport.DialOpts{Prompter: o.Prompter, Logger: o.Logger.With("device", d.Name)})
	if err != nil {
		return failWith(err, 0, 0)
	}
	defer client.Close()

	meta.Host = r.Addr()
	run, closeSession, err := newRunner(ctx, client, def, o)
	if err != nil {
		return failWith(err, 0, 0)
	}
	defer closeSession()

	total := len(queue)
	var failedCmds []string
	refused := 0
	for i := 0; i < len(queue); i++ {
		cmd := queue[i]
		o.report(Progress{Device: d.Name, State: Collecting, Done: i, Total: total, Command: cmd.Line()})
		at := o.Now()
		res, err := run(ctx, cmd)
		cm := bundle.CommandMeta{Command: cmd.Line(), Duration: res.Duration.Round(time.Millisecond).String(), Truncated: res.Truncated}
		if err != nil {
			// The connection or session is gone: the device stops here.
			if ctx.Err() != nil || isConnErr(err) {
				cm.Error = err.Error()
				meta.Commands = append(meta.Commands, cm)
				m := failedMeta(d, err, o.Now().Sub(start))
				m.Host, m.Commands = meta.Host, meta.Commands
				o.fail(d.Name, err, i, total)
				return files, m
			}
			cm.Error = err.Error()
			meta.Commands = append(meta.Commands, cm)
			kind, hint := transport.Classify(err)
			failedCmds = append(failedCmds, fmt.Sprintf("%s (%s)", cmd.Line(), kind))
			o.report(Progress{Device: d.Name, State: Collecting, Done: i + 1, Total: total, Command: cmd.Line(), Err: err, Kind: kind, Hint: hint})
			continue
		}
		exit := res.Exit
		cm.Exit = &exit
		out := res.Output
		if res.Exit == -1 && def.Session != platform.PTY {
			// The channel closed without an exit status: the session was
			// killed or the connection dropped mid-command. What came is
			// kept but the output may be cut short.
			cm.Error = "the command ended without an exit status (session killed or connection dropped): the output may be incomplete"
			cm.Exit = nil
			failedCmds = append(failedCmds, fmt.Sprintf("%s (no exit status)", cmd.Line()))
		}
		if why, bad := def.Failed(string(out)); bad || res.Failed != "" || (res.Exit != 0 && len(out) == 0) {
			if why == "" {
				why = res.Failed
			}
			if why == "" {
				why = fmt.Sprintf("exit status %d: %s", res.Exit, firstLine(res.Stderr))
			}
			// A refusal ("% Invalid input") means the device has no such
			// feature or command (a switch without crypto): noted, not a
			// failure of the device.
			cm.Error = "not supported by the device: " + why
			refused++
		}
		if res.Truncated {
			failedCmds = append(failedCmds, fmt.Sprintf("%s (output truncated at %d bytes)", cmd.Line(), o.MaxOutput))
		}
		if cm.Error == "" || cm.Exit == nil { // a refusal is not the capability's output: it stays in bundle.yaml only
			name := "devices/" + d.Name + "/" + cmd.File() + ".txt"
			red := redactOutput(red, out)
			files[name] = red
			cm.File = name
			env := bundle.Envelope{Command: cmd.Line(), CollectedAt: at.UTC().Truncate(time.Millisecond), Duration: cm.Duration, Exit: &exit, Truncated: res.Truncated}
			if b, err := json.MarshalIndent(env, "", "  "); err == nil {
				files["devices/"+d.Name+"/"+cmd.File()+".json"] = append(b, '\n')
			}
			// A listing names the per-object commands that follow it.
			if cm.Error == "" {
				for _, pc := range perObject[cmd.Capability()] {
					cmds, err := def.Objects(pc.Capability, string(red))
					if err != nil {
						o.Logger.Warn("objects refused", "device", d.Name, "capability", pc.Capability, "err", err)
					}
					queue = append(queue, cmds...)
					total += len(cmds)
				}
			}
		}
		meta.Commands = append(meta.Commands, cm)
	}
	meta.Duration = o.Now().Sub(start).Round(time.Millisecond).String()
	if refused == total && total > 0 {
		err := fmt.Errorf("the device refused every command (%s): is it really %s?", firstLine([]byte(meta.Commands[0].Error)), d.Platform)
		m := failedMeta(d, err, o.Now().Sub(start))
		m.Host, m.Commands = meta.Host, meta.Commands
		o.fail(d.Name, err, total, total)
		return files, m
	}
	if len(failedCmds) > 0 {
		meta.Status = netmodel.StatusPartial
		meta.Error = fmt.Sprintf("%d of %d commands failed: %s", len(failedCmds), total, strings.Join(failedCmds, "; "))
	}
	o.report(Progress{Device: d.Name, State: Done, Done: total, Total: total})
	return files, meta
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

// redactOutput replaces every secret of an output before it is kept.
func redactOutput(r *redact.Redactor, out []byte) []byte {
	lines := strings.SplitAfter(string(out), "\n")
	var b strings.Builder
	b.Grow(len(out))
	for _, l := range lines {
		body, nl := strings.CutSuffix(l, "\n")
		b.WriteString(r.Line(body))
		if nl {
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}

func isConnErr(err error) bool {
	var ce *transport.ConnectionError
	return errors.As(err, &ce) || errors.Is(err, transport.ErrClosed)
}

// newRunner opens what the platform's default session kind needs: nothing
// for exec (one channel per command), a PTY shell with paging turned off
// for pty.
func newRunner(ctx context.Context, c *transport.Client, def *platform.Definition, o Options) (func(context.Context, platform.Cmd) (transport.Result, error), func(), error) {
	if def.Session != platform.PTY {
		return func(ctx context.Context, cmd platform.Cmd) (transport.Result, error) {
			return c.Exec(ctx, cmd, transport.RunOpts{Timeout: o.CommandTimeout, MaxOutput: o.MaxOutput, Failures: def.Failures})
		}, func() {}, nil
	}
	var paging []transport.Command
	for _, s := range def.SessionSetup() {
		paging = append(paging, s)
	}
	sh, err := c.Shell(ctx, transport.ShellOpts{Prompt: def.Prompt, PagingOff: paging, Failures: def.Failures, Timeout: o.CommandTimeout, MaxOutput: o.MaxOutput})
	if err != nil {
		return nil, nil, err
	}
	return func(ctx context.Context, cmd platform.Cmd) (transport.Result, error) {
		return sh.Run(ctx, cmd)
	}, func() { sh.Close() }, nil
}

func bundleYAML(m *bundle.Meta) ([]byte, error) { return yaml.Marshal(m) }

// Merge replaces the devices of r that o collected again (their files and
// their bundle.yaml entries) and keeps the others.
func (r *Result) Merge(o *Result) {
	for _, dm := range o.Meta.Devices {
		prefix := "devices/" + dm.Name + "/"
		for k := range r.Files {
			if strings.HasPrefix(k, prefix) {
				delete(r.Files, k)
			}
		}
		replaced := false
		for i := range r.Meta.Devices {
			if r.Meta.Devices[i].Name == dm.Name {
				r.Meta.Devices[i], replaced = dm, true
			}
		}
		if !replaced {
			r.Meta.Devices = append(r.Meta.Devices, dm)
		}
	}
	for k, v := range o.Files {
		r.Files[k] = v
	}
}
