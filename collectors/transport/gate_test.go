package transport

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/fakedevice"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
)

// forged is a command built without the platform catalog: whatever its
// line, only the gate decides what is sent.
type forged struct {
	line string
	p    netmodel.Platform
}

func (f forged) Line() string                { return f.line }
func (f forged) Platform() netmodel.Platform { return f.p }

// TestAllowListGate runs with the production gate (platform.Authorize):
// catalog commands are sent; any other line — a config command, a chained
// command, another platform's command, a forged type, a paging-off line that
// is not the platform's — is refused before anything is sent, on exec
// channels and in interactive shells alike. The fake device's log of what
// it received proves it.
func TestAllowListGate(t *testing.T) {
	trunk := "Port        Mode             Encapsulation  Status        Native vlan\nGi1/0/1     on               802.1q         trunking      1\n"
	outs := map[string]string{"show interfaces trunk": trunk, "reload": "Proceed with reload? [confirm]\n", "configure terminal": "Enter configuration commands\n",
		"terminal length 0": "", "show interfaces trunk ; reload": trunk}
	execDev := sshlab.NewDevice(t, sshlab.DeviceSpec{Name: "sw1", Platform: "ios", Outputs: outs})
	ptyDev := sshlab.NewDevice(t, sshlab.DeviceSpec{Name: "sw2", Platform: "ios", Mode: fakedevice.ModePTY, Outputs: outs})
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{execDev, ptyDev}})
	cfg := sshConfigFile(t, hostBlock(srv, "sw1", "sw1"), hostBlock(srv, "sw2", "sw2"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	def, err := platform.Get(netmodel.IOS)
	if err != nil {
		t.Fatal(err)
	}
	good, err := def.Build("show-interfaces-trunk", "")
	if err != nil {
		t.Fatal(err)
	}
	hostile := []Command{
		cmd("reload"),
		cmd("configure terminal"),
		cmd("show interfaces trunk ; reload"),
		forged{"reload", netmodel.IOS},
		forged{"esxcli network vswitch standard list", netmodel.IOS},
		forged{"show interfaces trunk", netmodel.Platform("bogus")},
	}
	realGate(t, func() {
		c := mustDial(t, ctx, mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{})
		if res, err := c.Exec(ctx, good, RunOpts{}); err != nil || string(res.Output) != trunk {
			t.Fatalf("catalog command: %v %q", err, res.Output)
		}
		for _, h := range hostile {
			if _, err := c.Exec(ctx, h, RunOpts{}); !errors.Is(err, ErrNotAllowed) {
				t.Errorf("exec %q: %v, want ErrNotAllowed", h.Line(), err)
			}
		}
		if got := srv.ReceivedCommands("sw1"); !slices.Equal(got, []string{"show interfaces trunk"}) {
			t.Errorf("sw1 received %q", got)
		}

		c2 := mustDial(t, ctx, mustResolve(t, cfg, Target{Name: "sw2"}), DialOpts{})
		prompt := def.Prompt
		if _, err := c2.Shell(ctx, ShellOpts{Prompt: prompt, PagingOff: []Command{cmd("reload")}}); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("paging-off reload: %v", err)
		}
		var setup []Command
		for _, s := range def.SessionSetup() {
			setup = append(setup, s)
		}
		sh, err := c2.Shell(ctx, ShellOpts{Prompt: prompt, PagingOff: setup})
		if err != nil {
			t.Fatal(err)
		}
		defer sh.Close()
		if res, err := sh.Run(ctx, good); err != nil || len(res.Output) == 0 {
			t.Fatalf("shell catalog command: %v %q", err, res.Output)
		}
		for _, h := range hostile {
			if _, err := sh.Run(ctx, h); !errors.Is(err, ErrNotAllowed) {
				t.Errorf("shell %q: %v, want ErrNotAllowed", h.Line(), err)
			}
		}
		for _, got := range srv.ReceivedCommands("sw2") {
			if got != "show interfaces trunk" && got != "terminal length 0" && got != "terminal width 0" && got != "terminal width 511" {
				t.Errorf("sw2 received %q", got)
			}
		}
	})
}
