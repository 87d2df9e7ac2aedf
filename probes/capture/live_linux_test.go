//go:build linux

package capture

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// vethLab is a veth pair between two network namespaces the test creates:
// capIf in capNS (where captures run) and sendIf in sendNS (where frames are
// sent from). No traffic leaves the two namespaces.
type vethLab struct {
	capNS, sendNS string
	capIf, sendIf string
	sendFD        int // AF_PACKET socket in sendNS
	sendAddr      unix.SockaddrLinklayer
	sendMu        sync.Mutex
}

// newVethLab creates the namespaces and the pair and removes them when the
// test ends. The live capture test must run where CI runs it (as root): it
// fails, never skips, when that is not possible.
func newVethLab(t *testing.T) *vethLab {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("the live capture test creates network namespaces and must run as root (CI runs it as root); run: sudo go test ./probes/capture")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		for _, p := range []string{"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"} {
			if _, e := os.Stat(p); e == nil {
				ip, err = p, nil
				break
			}
		}
	}
	if err != nil {
		t.Fatal("the live capture test needs the ip command (install iproute2):", err)
	}
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	var r [4]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatal(err)
	}
	base := "ncap-live-" + hex.EncodeToString(r[:])
	l := &vethLab{capNS: base + "-a", sendNS: base + "-b", capIf: "ncap0", sendIf: "ncap1"}
	for _, ns := range []string{l.capNS, l.sendNS} {
		run("netns", "add", ns)
		t.Cleanup(func() {
			if out, err := exec.Command(ip, "netns", "delete", ns).CombinedOutput(); err != nil {
				t.Errorf("ip netns delete %s: %v: %s", ns, err, out)
			}
		})
	}
	run("-n", l.capNS, "link", "add", l.capIf, "type", "veth", "peer", "name", l.sendIf, "netns", l.sendNS)
	// No IPv6 link-local address, so the kernel sends little of its own.
	run("-n", l.capNS, "link", "set", l.capIf, "addrgenmode", "none")
	run("-n", l.sendNS, "link", "set", l.sendIf, "addrgenmode", "none")
	run("-n", l.capNS, "link", "set", l.capIf, "up")
	run("-n", l.sendNS, "link", "set", l.sendIf, "up")
	// pcapgo's EthernetHandle only reads: send on a packet socket of our own.
	err = inNetns(l.sendNS, func() error {
		ifi, err := net.InterfaceByName(l.sendIf)
		if err != nil {
			return err
		}
		l.sendFD, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		l.sendAddr = unix.SockaddrLinklayer{Ifindex: ifi.Index, Halen: 6}
		return err
	})
	if err != nil {
		t.Fatal("sending socket:", err)
	}
	t.Cleanup(func() { unix.Close(l.sendFD) })
	return l
}

// inNetns runs fn on an OS thread switched into the named network namespace.
// Sockets fn opens stay in that namespace. The thread is never switched
// back: it ends with its goroutine.
func inNetns(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // deliberately never unlocked
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// open starts a live capture with filter on the capture end of the pair.
func (l *vethLab) open(t *testing.T, filter string) *LiveSource {
	t.Helper()
	var src *LiveSource
	err := inNetns(l.capNS, func() (err error) {
		src, err = OpenLive(l.capIf, filter, 0)
		return err
	})
	if err != nil {
		t.Fatalf("OpenLive(%s, %q): %v", l.capIf, filter, err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func (l *vethLab) sendFrames(t *testing.T, frames ...[]byte) {
	t.Helper()
	l.sendMu.Lock()
	defer l.sendMu.Unlock()
	for _, f := range frames {
		copy(l.sendAddr.Addr[:], f[:6])
		if err := unix.Sendto(l.sendFD, f, 0, &l.sendAddr); err != nil {
			t.Fatal("send:", err)
		}
	}
}

// collector runs RunSource over src and keeps the Summaries of the frames
// the test sent (source MAC filterMacA).
type collector struct {
	mu     sync.Mutex
	got    []Summary
	st     *Stats
	cancel context.CancelFunc
	done   chan error
}

func collect(src Source) *collector {
	c := &collector{st: NewStats(StatsConfig{}), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go func() {
		c.done <- RunSource(ctx, src, c.st, func(s *Summary) {
			if bytes.Equal(s.SrcMAC[:], filterMacA) {
				c.mu.Lock()
				c.got = append(c.got, *s)
				c.mu.Unlock()
			}
		})
	}()
	return c
}

// waitFor waits up to 5 s for a received Summary that ok accepts.
func (c *collector) waitFor(t *testing.T, what string, ok func(Summary) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		found := slices.ContainsFunc(c.got, ok)
		c.mu.Unlock()
		if found {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %s received in 5 s; got %v", what, c.summaries())
}

func (c *collector) summaries() []Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.got)
}

// stop cancels RunSource and checks it returns promptly.
func (c *collector) stop(t *testing.T) {
	t.Helper()
	c.cancel()
	select {
	case err := <-c.done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("RunSource: %v; want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("RunSource did not return within 1 s of the cancel")
	}
}

func isLACP(key uint16) func(Summary) bool {
	return func(s Summary) bool { return s.Proto == ProtoLACP && s.LACP.Actor.Key == key }
}

func isUDP(port uint16) func(Summary) bool {
	return func(s Summary) bool { return s.Proto == ProtoUDP && s.DstPort == port }
}

func TestLiveCaptureNetns(t *testing.T) {
	needTcpdump(t)
	lab := newVethLab(t)
	peer := []byte{192, 0, 2, 1}

	t.Run("everything", func(t *testing.T) {
		src := lab.open(t, "")
		c := collect(src)
		lacp := testLACPDU(t, filterMacA, 7, 0)
		tagged := testUDP4(t, filterMacA, peer, 1000, 1010, 10)
		plain := testUDP4(t, filterMacA, peer, 1000, 53, 0)
		lab.sendFrames(t, lacp, tagged, plain)
		c.waitFor(t, "LACPDU", isLACP(7))
		c.waitFor(t, "VLAN 10 UDP frame", isUDP(1010))
		c.waitFor(t, "UDP frame", isUDP(53))
		c.stop(t)
		for _, s := range c.summaries() {
			if s.Iface != lab.capIf {
				t.Errorf("interface %q, want %q", s.Iface, lab.capIf)
			}
			switch {
			case isLACP(7)(s):
				if s.VLANCount != 0 || s.CapLen != uint32(len(lacp)) || s.Length != uint32(len(lacp)) ||
					s.LACP.Partner.Key != 0x1001 || s.LACP.Actor.State != LACPStateActivity|LACPStateAggregation|LACPStateSync {
					t.Errorf("LACPDU decoded as %s %+v", s.String(), s)
				}
			case isUDP(1010)(s):
				// The kernel strips the tag; the source puts it back.
				if s.VLANCount != 1 || s.VLANs[0] != 10 || s.CapLen != uint32(len(tagged)) || s.Length != uint32(len(tagged)) {
					t.Errorf("tagged frame decoded as %s %+v", s.String(), s)
				}
			case isUDP(53)(s):
				if s.VLANCount != 0 || s.Src.String() != "198.51.100.7" || s.Dst.String() != "192.0.2.1" {
					t.Errorf("UDP frame decoded as %s %+v", s.String(), s)
				}
			default:
				t.Errorf("unexpected frame %s", s.String())
			}
		}
		sn := c.st.Snapshot()
		if sn.Interfaces[lab.capIf] < 3 || sn.VLANs[IfaceVLAN{lab.capIf, 10}] != 1 || len(sn.LACP) != 1 {
			t.Errorf("stats: interfaces %v, VLANs %v, LACP %v", sn.Interfaces, sn.VLANs, sn.LACP)
		}
		if st := src.Stats(); st.Received < 3 || st.Filtered != 0 {
			t.Errorf("live stats %+v", st)
		}
	})

	t.Run("ether proto 0x8809", func(t *testing.T) {
		src := lab.open(t, "ether proto 0x8809")
		c := collect(src)
		lab.sendFrames(t,
			testUDP4(t, filterMacA, peer, 1000, 53, 0),    // kernel rejects
			testUDP4(t, filterMacA, peer, 1000, 1010, 10), // user space rejects (tagged)
			testLACPDU(t, filterMacA, 9, 10),              // tagged LACPDU: ethertype 0x8100 as saved
			testLACPDU(t, filterMacA, 8, 0))
		c.waitFor(t, "LACPDU", isLACP(8))
		time.Sleep(300 * time.Millisecond) // anything else would have arrived by now
		c.stop(t)
		got := c.summaries()
		if len(got) != 1 || !isLACP(8)(got[0]) {
			t.Errorf("with the LACP filter got %v; want the one untagged LACPDU", got)
		}
		if st := src.Stats(); st.Received != 1 || st.Filtered < 2 {
			t.Errorf("live stats %+v; want 1 received, the 2 tagged frames filtered in user space", st)
		}
	})

	t.Run("vlan 10", func(t *testing.T) {
		src := lab.open(t, "vlan 10")
		c := collect(src)
		lab.sendFrames(t,
			testUDP4(t, filterMacA, peer, 1000, 53, 0),
			testLACPDU(t, filterMacA, 7, 0),
			testUDP4(t, filterMacA, peer, 1000, 1020, 20),
			testUDP4(t, filterMacA, peer, 1000, 1010, 10))
		c.waitFor(t, "VLAN 10 UDP frame", isUDP(1010))
		time.Sleep(300 * time.Millisecond)
		c.stop(t)
		got := c.summaries()
		if len(got) != 1 || got[0].VLANCount != 1 || got[0].VLANs[0] != 10 {
			t.Errorf("with the vlan 10 filter got %v; want the one VLAN 10 frame", got)
		}
	})

	t.Run("close unblocks next", func(t *testing.T) {
		src := lab.open(t, "ether proto 0x88b5") // local experimental ethertype: nothing arrives
		done := make(chan error, 1)
		go func() {
			for {
				if _, _, err := src.Next(); err != nil {
					done <- err
					return
				}
			}
		}()
		time.Sleep(200 * time.Millisecond)
		start := time.Now()
		if err := src.Close(); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != io.EOF {
				t.Errorf("Next after Close: %v; want io.EOF", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("Next returned %v after Close", d)
			}
		case <-time.After(time.Second):
			t.Fatal("a blocked Next did not return within 1 s of Close")
		}
		if err := src.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, _, err := src.Next(); err != io.EOF {
			t.Errorf("Next on a closed source: %v", err)
		}
	})

	t.Run("no such interface", func(t *testing.T) {
		err := inNetns(lab.capNS, func() error {
			s, err := OpenLive("ncap-none", "", 0)
			if err == nil {
				s.Close()
			}
			return err
		})
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte("ncap-none")) {
			t.Errorf("OpenLive on a missing interface: %v", err)
		}
	})
}

func TestOpenLiveWithoutCapNetRaw(t *testing.T) {
	errc := make(chan error, 1)
	go func() {
		// Capabilities are per thread: drop CAP_NET_RAW on this one only,
		// and let the thread end with the goroutine.
		runtime.LockOSThread()
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		if err := unix.Capget(&hdr, &data[0]); err != nil {
			errc <- fmt.Errorf("capget: %w", err)
			return
		}
		data[unix.CAP_NET_RAW/32].Effective &^= 1 << (unix.CAP_NET_RAW % 32)
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			errc <- fmt.Errorf("capset: %w", err)
			return
		}
		s, err := OpenLive("lo", "", 0)
		if err == nil {
			s.Close()
			err = errors.New("OpenLive succeeded without CAP_NET_RAW")
		}
		errc <- err
	}()
	err := <-errc
	var pe *PermissionError
	if !errors.As(err, &pe) || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("got %v; want a *PermissionError", err)
	}
	const want = "live capture on lo needs CAP_NET_RAW (run as root or: setcap cap_net_raw+ep $(which nettui))"
	if err.Error() != want {
		t.Errorf("message %q\nwant    %q", err.Error(), want)
	}
}

func TestOpenLiveBadInterfaceName(t *testing.T) {
	for _, name := range []string{"", "a/b", "eth0 ", "0123456789abcdef"} {
		if s, err := OpenLive(name, "", 0); err == nil {
			s.Close()
			t.Errorf("OpenLive(%q) accepted", name)
		}
	}
}
