//go:build linux

package capture

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// DefaultSnaplen is the capture length OpenLive uses when given 0: what
// libpcap captures by default, enough for any frame the kernel hands over.
const DefaultSnaplen = 262144

// LiveSource captures packets on a local Linux interface through an
// AF_PACKET socket (pure Go, no libpcap) and gives them in the shape a
// Reader does: Ethernet frames as a capture file holds them, 802.1Q tags the
// kernel took off put back in place. Next must not be called concurrently;
// Close may be called from any goroutine.
type LiveSource struct {
	iface    string
	filter   string
	h        *pcapgo.EthernetHandle
	snaplen  int
	vm       *bpf.VM   // the filter in user space; nil without a filter
	attached time.Time // when the kernel program was attached
	buf      []byte    // frames with their VLAN tag put back

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error

	mu    sync.Mutex
	stats LiveStats
}

// OpenLive starts capturing on the local interface iface (Linux, AF_PACKET,
// promiscuous when the interface allows it). filter is tcpdump filter syntax
// ("" for everything), compiled by CompileFilter and attached to the socket
// so the kernel drops what it rejects; the filter sees frames as a saved
// capture holds them, with VLAN tags in place (tagged frames, whose tag the
// kernel strips, are passed up and filtered in user space). When the filter
// cannot be applied OpenLive fails with a *FilterError rather than capture
// everything. snaplen bounds the bytes kept per frame (0: DefaultSnaplen).
// Without CAP_NET_RAW the error is a *PermissionError saying so.
func OpenLive(iface string, filter string, snaplen int) (*LiveSource, error) {
	if iface == "" || len(iface) >= unix.IFNAMSIZ || strings.ContainsAny(iface, "/ \t\n\x00") {
		return nil, fmt.Errorf("live capture: %q is not an interface name", iface)
	}
	if snaplen <= 0 || snaplen > DefaultSnaplen {
		snaplen = DefaultSnaplen
	}
	prog, err := CompileFilter(context.Background(), filter)
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	// pcapgo hides the socket's errno in a string: ask the kernel first
	// with a socket that is bound to nothing.
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, &PermissionError{Iface: iface, Err: err}
		}
		return nil, fmt.Errorf("live capture on %s: packet socket: %w", iface, err)
	}
	unix.Close(fd)
	h, err := pcapgo.NewEthernetHandle(iface)
	if err != nil {
		if m := err.Error(); strings.Contains(m, "operation not permitted") || strings.Contains(m, "permission denied") {
			return nil, &PermissionError{Iface: iface, Err: unix.EPERM}
		}
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	s := &LiveSource{iface: iface, filter: filter, h: h, snaplen: snaplen, buf: make([]byte, 0, snaplen+4)}
	if err := h.SetCaptureLength(snaplen); err != nil {
		h.Close()
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	if len(prog) > 0 {
		if len(prog)+len(vlanPassUp) > maxBPFInstructions {
			h.Close()
			return nil, fmt.Errorf("live capture on %s: %w", iface, &FilterError{Filter: filter,
				Reason: fmt.Sprintf("the compiled program has %d instructions, the kernel takes %d", len(prog), maxBPFInstructions-len(vlanPassUp))})
		}
		vm, err := newFilterVM(prog)
		if err != nil {
			h.Close()
			return nil, fmt.Errorf("live capture on %s: %w", iface, &FilterError{Filter: filter, Reason: err.Error(), Err: err})
		}
		kernel := append(append([]bpf.RawInstruction(nil), vlanPassUp...), prog...)
		if err := h.SetBPF(kernel); err != nil {
			h.Close()
			return nil, fmt.Errorf("live capture on %s: %w", iface, &FilterError{Filter: filter,
				Reason: "the kernel refused the compiled program: " + err.Error(), Err: err})
		}
		s.vm, s.attached = vm, time.Now()
	}
	_ = h.SetPromiscuous(true) // best effort, as tcpdump: some interfaces refuse
	return s, nil
}

// vlanPassUp precedes the compiled filter in the kernel. The kernel takes the
// 802.1Q tag off a received frame before the filter runs, so a program
// written for frames with their tag in place would misjudge it: such frames
// are accepted here and judged in user space, tag restored. Every other
// frame goes through the program unchanged (jumps are relative, so the
// program needs no adjusting).
var vlanPassUp = []bpf.RawInstruction{
	{Op: 0x30, K: 0xfffff000 + 48}, // ldb [vlanp] (SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)
	{Op: 0x15, Jt: 0, Jf: 1, K: 1}, // jeq #1, jt 0, jf 1
	{Op: 0x06, K: DefaultSnaplen},  // ret #262144
}

// Next returns the next packet, waiting for one; data is valid until the
// next call. ci.InterfaceIndex is 0 (see Interface). After Close it returns
// io.EOF.
func (s *LiveSource) Next() (data []byte, ci gopacket.CaptureInfo, err error) {
	for {
		if s.closed.Load() {
			return nil, ci, io.EOF
		}
		data, ci, err = s.h.ZeroCopyReadPacketData()
		if err != nil {
			if s.closed.Load() {
				return nil, gopacket.CaptureInfo{}, io.EOF
			}
			return nil, ci, fmt.Errorf("live capture on %s: %w", s.iface, err)
		}
		tagged := false
		if len(ci.AncillaryData) > 0 {
			if vlan, ok := ci.AncillaryData[0].(int); ok {
				data = s.retag(data, vlan)
				ci.CaptureLength = len(data)
				ci.Length += 4
				tagged = true
			}
			ci.AncillaryData = nil
		}
		ci.InterfaceIndex = 0
		if s.vm != nil && (tagged || !ci.Timestamp.After(s.attached)) {
			if n, err := s.vm.Run(data); err != nil || n == 0 {
				s.mu.Lock()
				s.stats.Filtered++
				s.mu.Unlock()
				continue
			}
		}
		s.mu.Lock()
		s.stats.Received++
		s.mu.Unlock()
		return data, ci, nil
	}
}

// retag puts an 802.1Q tag (TPID 0x8100, priority 0: the kernel's record of
// the tag gives only the VLAN ID here) back after the MAC addresses.
func (s *LiveSource) retag(data []byte, vlan int) []byte {
	if len(data) < 12 {
		return data
	}
	b := s.buf[:0]
	b = append(b, data[:12]...)
	b = binary.BigEndian.AppendUint16(b, uint16(layers.EthernetTypeDot1Q))
	b = binary.BigEndian.AppendUint16(b, uint16(vlan&0xfff))
	b = append(b, data[12:]...)
	if len(b) > s.snaplen {
		b = b[:s.snaplen]
	}
	s.buf = b[:0]
	return b
}

// Interface returns the interface name and LinkTypeEthernet.
func (s *LiveSource) Interface(gopacket.CaptureInfo) (string, layers.LinkType) {
	return s.iface, layers.LinkTypeEthernet
}

// LinkType returns LinkTypeEthernet.
func (s *LiveSource) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// Name returns the interface name.
func (s *LiveSource) Name() string { return s.iface }

// Filter returns the filter expression the source applies ("" for none).
func (s *LiveSource) Filter() string { return s.filter }

// Stats returns what the source saw so far, with the kernel's drop count.
func (s *LiveSource) Stats() LiveStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed.Load() {
		if ks, err := s.h.Stats(); err == nil {
			s.stats.KernelDropped += uint64(ks.Drops) // the kernel resets its counters on each read
		}
	}
	return s.stats
}

// Close stops the capture: a Next waiting for a packet returns io.EOF at
// once. Closing twice is harmless.
func (s *LiveSource) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.closeErr = s.h.Close()
	})
	return s.closeErr
}
