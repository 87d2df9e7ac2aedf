package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BridgePrograms are the programs a Linux bridge lab needs (for Require).
var BridgePrograms = []string{"bridge", "/usr/sbin/sshd"}

// BridgeTimers are a kernel bridge's spanning-tree timers. Forward delay
// bounds convergence: a port goes listening → learning → forwarding in two
// forward delays.
type BridgeTimers struct {
	ForwardDelay, HelloTime, MaxAge time.Duration
}

// FastBridgeTimers converge in about two times 4 s: forward delay 4 s
// (the kernel's default is 15 s), hello 2 s, max age 20 s.
var FastBridgeTimers = BridgeTimers{ForwardDelay: 4 * time.Second, HelloTime: 2 * time.Second, MaxAge: 20 * time.Second}

// LinuxBridge is a Linux bridge br0 with kernel spanning tree (802.1D,
// stp_state 1) in a namespace of its own, a "switch" made of the kernel.
type LinuxBridge struct {
	Name string // device name
	NS   *NS
	Dir  string
}

// NewLinuxBridge creates a namespace ("ntlb"+short) holding br0 with STP
// on, the bridge priority prio, the MAC mac (which makes its bridge ID
// prio.mac) and the timers. The bridge stays down until Up.
func NewLinuxBridge(t testing.TB, name, short, dir string, prio int, mac string, tm BridgeTimers) *LinuxBridge {
	t.Helper()
	b := &LinuxBridge{Name: name, NS: Netns(t, "ntlb"+short), Dir: filepath.Join(dir, name)}
	cs := func(d time.Duration) string { return strconv.Itoa(int(d / (10 * time.Millisecond))) } // ip-link takes centiseconds
	b.NS.Must(t, "ip", "link", "add", "br0", "type", "bridge", "stp_state", "1", "priority", strconv.Itoa(prio),
		"forward_delay", cs(tm.ForwardDelay), "hello_time", cs(tm.HelloTime), "max_age", cs(tm.MaxAge))
	b.NS.Must(t, "ip", "link", "set", "br0", "address", mac)
	return b
}

// AddPort enslaves ifname (already in the namespace) to br0, with the MAC
// mac, and sets it up.
func (b *LinuxBridge) AddPort(t testing.TB, ifname, mac string) {
	t.Helper()
	b.NS.Must(t, "ip", "link", "set", ifname, "down")
	b.NS.Must(t, "ip", "link", "set", ifname, "address", mac)
	b.NS.Must(t, "ip", "link", "set", ifname, "master", "br0")
	b.NS.Must(t, "ip", "link", "set", ifname, "up")
}

// Up sets br0 up: spanning tree starts.
func (b *LinuxBridge) Up(t testing.TB) {
	t.Helper()
	b.NS.Must(t, "ip", "link", "set", "br0", "up")
}

// PortStates returns each bridge port's STP state as `bridge -j link
// show` gives it (forwarding, blocking, listening, learning, disabled).
func (b *LinuxBridge) PortStates(ctx context.Context) (map[string]string, error) {
	out, err := b.NS.Run(ctx, "bridge", "-j", "link", "show")
	if err != nil {
		return nil, err
	}
	var ports []struct {
		IfName string `json:"ifname"`
		Master string `json:"master"`
		State  string `json:"state"`
	}
	if err := json.Unmarshal([]byte(out), &ports); err != nil {
		return nil, fmt.Errorf("bridge -j link show: %w: %s", err, out)
	}
	m := map[string]string{}
	for _, p := range ports {
		if p.Master == "br0" {
			m[p.IfName] = p.State
		}
	}
	return m, nil
}

// WaitStates polls until br0's ports are exactly in the states want.
func (b *LinuxBridge) WaitStates(t testing.TB, timeout time.Duration, want map[string]string) {
	t.Helper()
	Poll(t, timeout, fmt.Sprintf("%s port states %s", b.Name, stateString(want)), func() (bool, string) {
		got, err := b.PortStates(context.Background())
		if err != nil {
			return false, err.Error()
		}
		return stateString(got) == stateString(want), stateString(got)
	})
}

func stateString(m map[string]string) string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// FrontDevice is the bridge as a device of the front sshd: platform
// linux, the lab machine's own services hidden (HideHost), so it answers
// as a Linux host with a bridge and nothing else.
func (b *LinuxBridge) FrontDevice(t testing.TB) FrontDevice {
	t.Helper()
	return FrontDevice{Name: b.Name, NS: b.NS, Binds: HideHost(t, b.Dir)}
}
