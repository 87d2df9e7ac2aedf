package collect

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/internal/fakedevice"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
)

const psk = "Winter2026-Cleartext-Psk!"

func readFixture(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func size(n int64) *fakedevice.ByteSize { b := fakedevice.ByteSize(n); return &b }

// TestFaultMatrix collects one site in which every device but two has a
// fault, through a real sshd (and a real jump host), and checks that each
// faulty device ends with its own clear error while the healthy ones are
// collected in full: nothing waits for anything else.
func TestFaultMatrix(t *testing.T) {
	trunk := readFixture(t, "../../fixtures/demo/devices/acc-stack1/show-interfaces-trunk.txt")
	cdp := readFixture(t, "../../fixtures/demo/devices/acc-stack1/show-cdp-neighbors-detail.txt")
	crypto := strings.ReplaceAll(readFixture(t, "../../fixtures/cases/ipsec-weak/devices/br-rtr/show-running-config-crypto.txt"),
		"REDACTED-L24-D0-e58c02b7f4196a3d", psk)
	if !strings.Contains(crypto, psk) {
		t.Fatal("the secret-bearing config has no secret")
	}
	healthy := map[string]string{"show interfaces trunk": trunk, "show cdp neighbors detail": cdp}
	spec := func(name string, f fakedevice.Faults, extra map[string]string) sshlab.DeviceSpec {
		out := map[string]string{}
		for k, v := range healthy {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return sshlab.DeviceSpec{Name: name, Platform: "ios", Outputs: out, Faults: f}
	}
	one := func(cmd string, f fakedevice.Fault) fakedevice.Faults {
		return fakedevice.Faults{Commands: map[string]fakedevice.Fault{cmd: f}}
	}
	specs := []sshlab.DeviceSpec{
		spec("ok1", fakedevice.Faults{}, nil),
		spec("secret", fakedevice.Faults{}, map[string]string{"show running-config | section crypto|access-list|interface Tunnel": crypto}),
		spec("pty", fakedevice.Faults{}, nil),
		spec("hang", one("show interfaces trunk", fakedevice.Fault{HangAfterBytes: size(200)}), nil),
		spec("trickle", one("show interfaces trunk", fakedevice.Fault{Trickle: &fakedevice.Trickle{Bytes: 200, Every: fakedevice.Duration(20 * time.Millisecond)}}), nil),
		spec("reset", one("show interfaces trunk", fakedevice.Fault{ResetAfterBytes: size(300)}), nil),
		spec("huge", one("show interfaces trunk", fakedevice.Fault{Huge: 200 << 20}), nil),
		spec("changedkey", fakedevice.Faults{}, nil),
		spec("unknownkey", fakedevice.Faults{}, nil),
		spec("authfail", fakedevice.Faults{}, nil),
		spec("viajump", fakedevice.Faults{}, nil),
		spec("picky", fakedevice.Faults{}, map[string]string{"reload": "Proceed with reload? [confirm]\n"}),
	}
	specs[2].Mode, specs[2].Paging = fakedevice.ModePTY, true
	platforms := map[string]netmodel.Platform{}
	for _, s := range specs {
		platforms[s.Name] = netmodel.IOS
	}
	site := startLabSite(t, specs, platforms, nil, nil)
	jump := sshlab.Start(t, sshlab.Options{Jump: true})
	srv := site.srv
	// An inventory that names commands outside the allow-list (nettui
	// inventory check reports them; here they reach the collector anyway).
	site.inv.Device("picky").Commands = []string{"show interfaces trunk", "reload", "show interfaces trunk; reload", "show running-config"}

	// known_hosts: right keys for every device, a different key for
	// changedkey, none for unknownkey; the jump host's own entry.
	other, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherPub, err := ssh.NewPublicKey(other)
	if err != nil {
		t.Fatal(err)
	}
	var kh strings.Builder
	for _, s := range specs {
		addr := knownhosts.Normalize(srv.Addr(s.Name))
		switch s.Name {
		case "unknownkey":
		case "changedkey":
			kh.WriteString(knownhosts.Line([]string{addr}, otherPub) + "\n")
		default:
			kh.WriteString(knownhosts.Line([]string{addr}, srv.HostKey()) + "\n")
		}
	}
	kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(jump.Addr(sshlab.JumpName))}, jump.HostKey()) + "\n")
	khFile := filepath.Join(site.dir, "known_hosts")
	writeFile(t, khFile, kh.String())
	// "pty" only accepts interactive sessions while IOS is collected with
	// exec: it must fail cleanly, saying why.
	cfg := fmt.Sprintf(`Host authfail
  User no-such-user
Host viajump
  ProxyJump %s@%s
Host *
  User %s
  IdentityFile %s
  IdentityFile %s
  IdentitiesOnly yes
  UserKnownHostsFile %s
  StrictHostKeyChecking yes
  IdentityAgent none
`, jump.User(), jump.Addr(sshlab.JumpName), srv.User(), srv.ClientKeyFile(), jump.ClientKeyFile(), khFile)
	writeFile(t, site.sshConfig, cfg)

	var logBuf bytes.Buffer
	var mu sync.Mutex
	progress := map[string][]Progress{}
	o := site.options()
	// The hang must hit the command timeout, the 200 MiB answer the output
	// cap well before it, even on a loaded machine under the race detector.
	o.CommandTimeout = 5 * time.Second
	o.MaxOutput = 1 << 20
	o.Logger = slog.New(slog.NewTextHandler(&syncWriter{w: &logBuf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	o.Progress = func(p Progress) {
		mu.Lock()
		progress[p.Device] = append(progress[p.Device], p)
		mu.Unlock()
	}
	start := time.Now()
	res, err := Run(context.Background(), site.inv, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("whole site in %v", time.Since(start).Round(time.Millisecond))
	meta := map[string]int{}
	for i, d := range res.Meta.Devices {
		meta[d.Name] = i
		t.Logf("%-10s %-7s %s", d.Name, d.Status, d.Error)
	}
	dev := func(name string) (status, errText string) {
		d := res.Meta.Devices[meta[name]]
		return d.Status, d.Error
	}
	last := func(name string) Progress {
		p := progress[name]
		return p[len(p)-1]
	}
	expect := []struct {
		name, status, kind, errHas string
	}{
		{"ok1", netmodel.StatusOK, "", ""},
		{"secret", netmodel.StatusOK, "", ""},
		{"trickle", netmodel.StatusOK, "", ""},
		{"viajump", netmodel.StatusOK, "", ""},
		{"hang", netmodel.StatusPartial, "", "show interfaces trunk (timeout)"},
		{"huge", netmodel.StatusPartial, "", "show interfaces trunk (output truncated at 1048576 bytes)"},
		{"reset", netmodel.StatusFailed, transport.KindReset, ""},
		{"changedkey", netmodel.StatusFailed, transport.KindHostKey, "changed"},
		{"unknownkey", netmodel.StatusFailed, transport.KindHostKey, "not known"},
		{"authfail", netmodel.StatusFailed, transport.KindAuth, ""},
		{"pty", netmodel.StatusFailed, "", ""},
		{"picky", netmodel.StatusOK, "", ""},
	}
	// A reset normally drops the connection (failed, kind reset); when the
	// session is killed and the channel closes first, the command has no
	// exit status and the device is partial, saying so.
	if st, msg := dev("reset"); st == netmodel.StatusPartial && strings.Contains(msg, "show interfaces trunk (no exit status)") {
		expect = slices.DeleteFunc(expect, func(e struct{ name, status, kind, errHas string }) bool { return e.name == "reset" })
	}
	for _, e := range expect {
		st, msg := dev(e.name)
		if st != e.status {
			t.Errorf("%s: status %q, want %q (%s)", e.name, st, e.status, msg)
		}
		if e.kind != "" && !strings.HasPrefix(msg, e.kind+": ") {
			t.Errorf("%s: error %q, want kind %q", e.name, msg, e.kind)
		}
		if !strings.Contains(strings.ToLower(msg), e.errHas) {
			t.Errorf("%s: error %q lacks %q", e.name, msg, e.errHas)
		}
		if p := last(e.name); (e.status == netmodel.StatusFailed) != (p.State == Failed) {
			t.Errorf("%s: last progress %+v", e.name, p)
		}
	}
	// Only the allowed command reached picky; the others are in bundle.yaml
	// as refused.
	if got := srv.ReceivedCommands("picky"); len(got) != 1 || got[0] != "show interfaces trunk" {
		t.Errorf("picky received %q", got)
	}
	refused := 0
	for _, c := range res.Meta.Devices[meta["picky"]].Commands {
		if strings.HasPrefix(c.Error, "refused, not sent") {
			refused++
		}
	}
	if refused != 3 {
		t.Errorf("picky: %d commands refused, want 3: %+v", refused, res.Meta.Devices[meta["picky"]].Commands)
	}
	// Nothing reached the devices whose host key is not trusted.
	for _, name := range []string{"changedkey", "unknownkey", "authfail"} {
		if got := srv.ReceivedCommands(name); len(got) != 0 {
			t.Errorf("%s received %q", name, got)
		}
	}
	if uk := last("unknownkey").HostKey; uk == nil || uk.Fingerprint != ssh.FingerprintSHA256(srv.HostKey()) {
		t.Errorf("unknown key: progress should carry the fingerprint, got %+v", last("unknownkey"))
	}
	// The huge output was capped and marked.
	hm := res.Meta.Devices[meta["huge"]]
	for _, c := range hm.Commands {
		if c.Command == "show interfaces trunk" {
			if !c.Truncated || int64(len(res.Files[c.File])) > o.MaxOutput {
				t.Errorf("huge: %+v, %d bytes kept", c, len(res.Files[c.File]))
			}
		}
	}
	// The healthy devices have their outputs.
	for _, name := range []string{"ok1", "trickle", "viajump"} {
		if got := string(res.Files["devices/"+name+"/show-interfaces-trunk.txt"]); got != trunk {
			t.Errorf("%s: trunk output %d bytes, want %d", name, len(got), len(trunk))
		}
	}
	// The secret reached neither the saved bundle nor the log.
	out := filepath.Join(t.TempDir(), "bundle")
	if err := res.Write(out); err != nil {
		t.Fatal(err)
	}
	err = filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if bytes.Contains(b, []byte(psk)) {
			t.Errorf("%s holds the PSK", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Files["devices/secret/show-running-config-crypto.txt"]), "crypto isakmp key REDACTED-L25-") {
		t.Errorf("the PSK should be a redaction token:\n%s", res.Files["devices/secret/show-running-config-crypto.txt"])
	}
	mu.Lock()
	if strings.Contains(logBuf.String(), psk) {
		t.Error("the log holds the PSK")
	}
	mu.Unlock()

	// Accepting the unknown key (the user's explicit choice) lets the
	// device be collected on the next run.
	if err := last("unknownkey").HostKey.Accept(); err != nil {
		t.Fatal(err)
	}
	o.Only = []string{"unknownkey"}
	again, err := Run(context.Background(), site.inv, o)
	if err != nil {
		t.Fatal(err)
	}
	if st := again.Meta.Devices[0].Status; st != netmodel.StatusOK {
		t.Errorf("after accepting the key: %s %s", st, again.Meta.Devices[0].Error)
	}
	res.Merge(again)
	if st, _ := dev("unknownkey"); st != netmodel.StatusOK {
		t.Errorf("merge kept the old status %q", st)
	}

	// With the jump host down, the device behind it fails with a jump error
	// and the others are unaffected.
	jump.Stop()
	o.Only = []string{"viajump", "ok1"}
	down, err := Run(context.Background(), site.inv, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range down.Meta.Devices {
		switch d.Name {
		case "viajump":
			if d.Status != netmodel.StatusFailed || !strings.HasPrefix(d.Error, transport.KindJump+": ") {
				t.Errorf("jump down: %s %s", d.Status, d.Error)
			}
		case "ok1":
			if d.Status != netmodel.StatusOK {
				t.Errorf("ok1 with the jump host down: %s %s", d.Status, d.Error)
			}
		}
	}
}

type syncWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
