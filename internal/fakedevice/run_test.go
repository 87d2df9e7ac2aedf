package fakedevice

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const trunk = `Port        Mode             Encapsulation  Status        Native vlan
Gi1/0/1     on               802.1q         trunking      1

Port        Vlans allowed on trunk
Gi1/0/1     10,20
`

// longOutput has n numbered lines.
func longOutput(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %02d\n", i)
	}
	return b.String()
}

// device builds a Device from s and outputs (command → text).
func device(t *testing.T, s Spec, outputs map[string]string) *Device {
	t.Helper()
	s.Commands = map[string]string{}
	files := map[string]string{}
	for cmd, text := range outputs {
		name := strings.ReplaceAll(cmd, " ", "-") + ".txt"
		s.Commands[cmd] = name
		files[name] = text
	}
	d, err := New(s, func(name string) ([]byte, error) {
		text, ok := files[name]
		if !ok {
			return nil, os.ErrNotExist
		}
		return []byte(text), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type result struct {
	code           int
	stdout, stderr string
	log            []string
}

func run(t *testing.T, ctx context.Context, d *Device, s Session) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	s.LogPath = filepath.Join(t.TempDir(), LogFile)
	code := Run(ctx, d, s)
	log, err := ReadLog(s.LogPath)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String(), log}
}

func execCmd(t *testing.T, d *Device, cmd string) result {
	t.Helper()
	return run(t, context.Background(), d, Session{Command: cmd, HasCommand: true})
}

func TestExecKnownCommand(t *testing.T) {
	d := device(t, Spec{Name: "sw1", Platform: "ios"}, map[string]string{"show interfaces trunk": trunk})
	r := execCmd(t, d, "show  interfaces   trunk")
	if r.code != 0 || r.stdout != trunk || r.stderr != "" {
		t.Fatalf("code %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	if len(r.log) != 1 || r.log[0] != "show  interfaces   trunk" {
		t.Fatalf("log %q", r.log)
	}
}

func TestExecUnknownCommand(t *testing.T) {
	outputs := map[string]string{"show interfaces trunk": trunk, "show version": "v\n"}
	tests := []struct {
		platform, cmd  string
		code           int
		stdout, stderr string
	}{
		{"ios", "show bogus", 1, "     ^\n% Invalid input detected at '^' marker.\n\n", ""},
		{"nxos", "show interfaces bogus", 1, "                ^\n% Invalid input detected at '^' marker.\n\n", ""},
		{"eos", "bogus", 1, "^\n% Invalid input detected at '^' marker.\n\n", ""},
		{"asa", "show interfaces", 1, "% Incomplete command.\n\n", ""},
		{"junos", "bogus command", 1, "^\nunknown command.\n", ""},
		{"junos", "show bogus", 1, "error: syntax error: bogus\n", ""},
		{"linux", "ip -j link", 127, "", "sh: ip: not found\n"},
		{"esxi", "esxcli network nic list", 127, "", "sh: esxcli: not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.platform+"/"+tt.cmd, func(t *testing.T) {
			d := device(t, Spec{Name: "d1", Platform: tt.platform}, outputs)
			r := execCmd(t, d, tt.cmd)
			if r.code != tt.code || r.stdout != tt.stdout || r.stderr != tt.stderr {
				t.Fatalf("code %d stdout %q stderr %q\nwant %d %q %q", r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
			if len(r.log) != 1 || r.log[0] != tt.cmd {
				t.Fatalf("log %q", r.log)
			}
		})
	}
}

func TestExecRefusedOnPTYDevice(t *testing.T) {
	d := device(t, Spec{Name: "fw1", Platform: "asa", Mode: ModePTY}, map[string]string{"show version": "v\n"})
	r := execCmd(t, d, "show version")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "exec request refused") {
		t.Fatalf("%+v", r)
	}
	// The same command works interactively.
	r = run(t, context.Background(), d, Session{Stdin: strings.NewReader("show version\nexit\n")})
	if r.code != 0 || !strings.Contains(r.stdout, "fw1#v\nfw1#") {
		t.Fatalf("%+v", r)
	}
}

func cli(t *testing.T, d *Device, input string) result {
	t.Helper()
	return run(t, context.Background(), d, Session{Stdin: strings.NewReader(input)})
}

func TestCLI(t *testing.T) {
	banner := "Welcome\n"
	d := device(t, Spec{Name: "sw1", Platform: "ios", Banner: &banner},
		map[string]string{"show interfaces trunk": trunk, "show clock": "12:00:00.000 UTC Sat Nov 28 2026"})
	r := cli(t, d, "show interfaces trunk\r\n\r\nshow clock\rshow bogus\nexit\nshow clock\n")
	want := "Welcome\nsw1#" + trunk + "sw1#sw1#12:00:00.000 UTC Sat Nov 28 2026\nsw1#" +
		"         ^\n% Invalid input detected at '^' marker.\n\nsw1#"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("code %d\n got %q\nwant %q", r.code, r.stdout, want)
	}
	if got := strings.Join(r.log, "|"); got != "show interfaces trunk|show clock|show bogus|exit" {
		t.Fatalf("log %q", got)
	}
}

func TestCLIEndOfInput(t *testing.T) {
	d := device(t, Spec{Name: "esx01", Platform: "esxi"}, map[string]string{"esxcli network vswitch standard list": "vSwitch0\n"})
	r := cli(t, d, "esxcli network vswitch standard list\nvmware -v")
	if r.code != 0 || !strings.HasSuffix(r.stdout, "[root@esx01:~] vSwitch0\n[root@esx01:~] [root@esx01:~] ") {
		t.Fatalf("%+v", r)
	}
	if r.stderr != "sh: vmware: not found\n" {
		t.Fatalf("stderr %q", r.stderr)
	}
}

func TestDefaultPrompts(t *testing.T) {
	for platform, want := range map[string]string{
		"ios": "r1#", "nxos": "r1#", "eos": "r1#", "asa": "r1#",
		"junos": "neteng@r1> ", "linux": "[neteng@r1 ~]$ ", "esxi": "[neteng@r1:~] ",
	} {
		d := device(t, Spec{Name: "r1", Platform: platform}, nil)
		if got := d.Prompt("neteng"); got != want {
			t.Errorf("%s: prompt %q, want %q", platform, got, want)
		}
	}
	d := device(t, Spec{Name: "r1", Platform: "linux"}, nil)
	if got := d.Prompt("root"); got != "[root@r1 ~]# " {
		t.Errorf("linux root prompt %q", got)
	}
	d = device(t, Spec{Name: "r1", Prompt: "custom> "}, nil)
	if got := d.Prompt("x"); got != "custom> " {
		t.Errorf("custom prompt %q", got)
	}
}

func TestPaging(t *testing.T) {
	empty := ""
	long := longOutput(60)
	tests := []struct {
		name, platform, input string
		pageLines             int
		mores                 int    // --More-- prompts expected
		last                  string // last output line expected before the prompt
	}{
		{"space pages through", "ios", "show long\n  exit\n", 24, 2, "line 60"},
		{"return shows one line", "ios", "show long\n\n\n q", 24, 4, "line 50"},
		{"q stops", "ios", "show long\nqexit\n", 24, 1, "line 24"},
		{"exact page does not prompt", "ios", "show long\n exit\n", 30, 1, "line 60"},
		{"terminal length 0", "ios", "terminal length 0\nshow long\n", 24, 0, "line 60"},
		{"term len abbreviated", "eos", "term len 0\nshow long\n", 24, 0, "line 60"},
		{"terminal length 10", "ios", "terminal length 10\nshow long\n     exit\n", 24, 5, "line 60"},
		{"asa pager", "asa", "terminal pager 0\nshow long\n", 24, 0, "line 60"},
		{"asa pager lines", "asa", "terminal pager lines 0\nshow long\n", 24, 0, "line 60"},
		{"junos screen-length", "junos", "set cli screen-length 0\nshow long\n", 24, 0, "line 60"},
		{"junos no-more", "junos", "show long | no-more\n", 24, 0, "line 60"},
		{"wrong platform command", "junos", "terminal length 0\nshow long\n  ", 24, 2, "line 60"},
		{"linux never pages", "linux", "show long\n", 24, 0, "line 60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := device(t, Spec{Name: "sw1", Platform: tt.platform, Paging: true, PageLines: tt.pageLines, Banner: &empty},
				map[string]string{"show long": long})
			r := cli(t, d, tt.input)
			if got := strings.Count(r.stdout, "--More--"); got != tt.mores {
				t.Fatalf("%d --More-- prompts, want %d:\n%s", got, tt.mores, r.stdout)
			}
			plain := strings.ReplaceAll(r.stdout, string(moreMark)+string(moreErase), "")
			prompt := d.Prompt("root")
			i := strings.LastIndex(plain, "\n"+prompt)
			if i < 0 {
				t.Fatalf("no prompt after the output:\n%q", r.stdout)
			}
			lines := strings.Split(plain[:i], "\n")
			if got := lines[len(lines)-1]; got != tt.last {
				t.Fatalf("last line %q, want %q:\n%q", got, tt.last, r.stdout)
			}
			if tt.last == "line 60" && !strings.Contains(plain, long) {
				t.Fatalf("output not complete:\n%q", plain)
			}
		})
	}
}

func TestPagingKeysWithTerminal(t *testing.T) {
	empty := ""
	d := device(t, Spec{Name: "sw1", Platform: "ios", Paging: true, Banner: &empty},
		map[string]string{"show long": longOutput(30)})
	term := &fakeTerm{}
	r := run(t, context.Background(), d, Session{Stdin: strings.NewReader("show long\n "), Terminal: term})
	if r.code != 0 || strings.Count(r.stdout, "--More--") != 1 {
		t.Fatalf("%+v", r)
	}
	if term.keyModes != 1 || term.restores != 1 {
		t.Fatalf("key mode entered %d times, restored %d times", term.keyModes, term.restores)
	}
}

type fakeTerm struct{ keyModes, restores int }

func (f *fakeTerm) KeyMode() (func(), error) {
	f.keyModes++
	return func() { f.restores++ }, nil
}

func TestJunosErrorsInteractive(t *testing.T) {
	empty := ""
	d := device(t, Spec{Name: "r1", Platform: "junos", Banner: &empty}, map[string]string{"show route": "inet.0\n"})
	r := run(t, context.Background(), d, Session{Stdin: strings.NewReader("show bogus\nfoo\nset cli screen-length 0\n"), User: "neteng"})
	want := "neteng@r1> " + "                ^\nsyntax error, expecting <command>.\n" +
		"neteng@r1> " + "           ^\nunknown command.\n" +
		"neteng@r1> Screen length set to 0\nneteng@r1> "
	if r.stdout != want {
		t.Fatalf("got  %q\nwant %q", r.stdout, want)
	}
}

func TestFaultDelay(t *testing.T) {
	d := device(t, Spec{Platform: "ios", Faults: Faults{Fault: Fault{Delay: Duration(60 * time.Millisecond)}}},
		map[string]string{"show version": "v\n"})
	start := time.Now()
	r := execCmd(t, d, "show version")
	if el := time.Since(start); el < 60*time.Millisecond {
		t.Fatalf("answered after %v, want at least the 60ms delay", el)
	}
	if r.code != 0 || r.stdout != "v\n" {
		t.Fatalf("%+v", r)
	}
}

// chunkWriter records each Write.
type chunkWriter struct {
	mu      sync.Mutex
	chunks  []string
	n       int
	atN     int
	reached chan struct{}
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chunks = append(c.chunks, string(p))
	c.n += len(p)
	if c.reached != nil && c.n >= c.atN {
		close(c.reached)
		c.reached = nil
	}
	return len(p), nil
}

func (c *chunkWriter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.chunks, "")
}

func TestFaultTrickle(t *testing.T) {
	d := device(t, Spec{Platform: "ios", Faults: Faults{Commands: map[string]Fault{
		"show interfaces trunk": {Trickle: &Trickle{Bytes: 64, Every: Duration(10 * time.Millisecond)}},
	}}}, map[string]string{"show interfaces trunk": trunk, "show version": "v\n"})
	w := &chunkWriter{}
	start := time.Now()
	code := Run(context.Background(), d, Session{Command: "show interfaces trunk", HasCommand: true, Stdout: w})
	el := time.Since(start)
	if code != 0 || w.String() != trunk {
		t.Fatalf("code %d output %q", code, w.String())
	}
	wantChunks := (len(trunk) + 63) / 64
	if len(w.chunks) != wantChunks {
		t.Fatalf("%d writes, want %d", len(w.chunks), wantChunks)
	}
	if min := time.Duration(wantChunks-1) * 10 * time.Millisecond; el < min {
		t.Fatalf("took %v, want at least %v", el, min)
	}
	// Other commands are not affected.
	w = &chunkWriter{}
	Run(context.Background(), d, Session{Command: "show version", HasCommand: true, Stdout: w})
	if len(w.chunks) != 1 {
		t.Fatalf("show version written in %d pieces", len(w.chunks))
	}
}

func TestFaultHang(t *testing.T) {
	for _, after := range []int{0, 10, len(trunk) + 10} {
		t.Run(fmt.Sprint(after), func(t *testing.T) {
			d := device(t, Spec{Platform: "ios", Faults: Faults{Fault: Fault{HangAfterBytes: new(ByteSize(after))}}},
				map[string]string{"show interfaces trunk": trunk})
			wantOut := trunk[:min(after, len(trunk))]
			reached := make(chan struct{})
			w := &chunkWriter{atN: len(wantOut), reached: reached}
			if len(wantOut) == 0 {
				close(reached)
				w.reached = nil
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan int)
			go func() {
				done <- Run(ctx, d, Session{Command: "show interfaces trunk", HasCommand: true, Stdout: w})
			}()
			<-reached
			select {
			case code := <-done:
				t.Fatalf("Run returned %d without hanging", code)
			case <-time.After(50 * time.Millisecond):
			}
			cancel()
			if code := <-done; code == 0 {
				t.Fatal("hung command exited 0")
			}
			if w.String() != wantOut {
				t.Fatalf("output %q, want %q", w.String(), wantOut)
			}
		})
	}
}

func TestFaultReset(t *testing.T) {
	d := device(t, Spec{Platform: "ios", Faults: Faults{Commands: map[string]Fault{
		"show interfaces trunk": {ResetAfterBytes: new(ByteSize(20))},
	}}}, map[string]string{"show interfaces trunk": trunk})
	resets := 0
	var stdout bytes.Buffer
	code := Run(context.Background(), d, Session{
		Command: "show interfaces trunk", HasCommand: true, Stdout: &stdout,
		Reset: func() error { resets++; return nil },
	})
	if code != 255 || resets != 1 || stdout.String() != trunk[:20] {
		t.Fatalf("code %d resets %d output %q", code, resets, stdout.String())
	}
	// In the CLI the session ends too.
	empty := ""
	d.Spec.Banner = &empty
	stdout.Reset()
	code = Run(context.Background(), d, Session{
		Stdin: strings.NewReader("show interfaces trunk\nshow interfaces trunk\n"), Stdout: &stdout,
		Reset: func() error { resets++; return nil },
	})
	if code != 255 || resets != 2 || stdout.String() != "device#"+trunk[:20] {
		t.Fatalf("code %d resets %d output %q", code, resets, stdout.String())
	}
	// Without a way to reset, the command fails.
	stdout.Reset()
	var stderr bytes.Buffer
	code = Run(context.Background(), d, Session{Command: "show interfaces trunk", HasCommand: true, Stdout: &stdout, Stderr: &stderr})
	if code != 1 || !strings.Contains(stderr.String(), "reset fault") {
		t.Fatalf("code %d stderr %q", code, stderr.String())
	}
}

func TestFaultEarlierStopWins(t *testing.T) {
	d := device(t, Spec{Platform: "ios", Faults: Faults{
		Fault:    Fault{HangAfterBytes: new(ByteSize(50))},
		Commands: map[string]Fault{"show interfaces trunk": {ResetAfterBytes: new(ByteSize(5))}},
	}}, map[string]string{"show interfaces trunk": trunk})
	var stdout bytes.Buffer
	code := Run(context.Background(), d, Session{Command: "show interfaces trunk", HasCommand: true, Stdout: &stdout,
		Reset: func() error { return nil }})
	if code != 255 || stdout.String() != trunk[:5] {
		t.Fatalf("code %d output %q", code, stdout.String())
	}
}

// countWriter counts bytes and keeps the first ones.
type countWriter struct {
	n    int64
	head []byte
}

func (c *countWriter) Write(p []byte) (int, error) {
	if len(c.head) < 4096 {
		c.head = append(c.head, p[:min(len(p), 4096-len(c.head))]...)
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestFaultHuge(t *testing.T) {
	d := device(t, Spec{Platform: "ios", Faults: Faults{Commands: map[string]Fault{
		"show interfaces trunk":  {Huge: 3<<20 + 7},
		"show interfaces status": {Huge: 1 << 20},
	}}}, map[string]string{"show interfaces trunk": trunk})
	w := &countWriter{}
	code := Run(context.Background(), d, Session{Command: "show interfaces trunk", HasCommand: true, Stdout: w})
	if code != 0 || w.n != 3<<20+7 || !bytes.HasPrefix(w.head, []byte(trunk+trunk)) {
		t.Fatalf("code %d, %d bytes, head %q", code, w.n, w.head[:100])
	}
	w = &countWriter{}
	code = Run(context.Background(), d, Session{Command: "show interfaces status", HasCommand: true, Stdout: w})
	if code != 0 || w.n != 1<<20 || !bytes.HasPrefix(w.head, []byte("Gi1/0/1    uplink-00000       connected    10   a-full")) {
		t.Fatalf("code %d, %d bytes, head %q", code, w.n, w.head[:100])
	}
}

func TestLogEncoding(t *testing.T) {
	path := filepath.Join(t.TempDir(), LogFile)
	cmds := []string{"show version", "two\nlines", `"quoted"`, "tab\there", ""}
	for _, c := range cmds {
		if err := AppendLog(path, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", cmds) {
		t.Fatalf("ReadLog = %q, want %q", got, cmds)
	}
}

func TestRunHonoursCancelledContextDuringDelay(t *testing.T) {
	d := device(t, Spec{Platform: "ios", Faults: Faults{Fault: Fault{Delay: Duration(time.Hour)}}},
		map[string]string{"show version": "v\n"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code := Run(ctx, d, Session{Command: "show version", HasCommand: true, Stdout: io.Discard}); code == 0 {
		t.Fatal("cancelled delay answered with status 0")
	}
}
