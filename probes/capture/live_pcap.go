//go:build pcap && cgo

package capture

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
	"golang.org/x/sys/unix"
)

// PcapSource captures packets on a local interface through libpcap (the
// optional build with -tags pcap, which needs libpcap and cgo). libpcap
// compiles the tcpdump filter itself and hands over frames with their
// VLAN tags in place. Next must not be called concurrently; Close may be
// called from any goroutine.
type PcapSource struct {
	iface, filter string
	h             *pcap.Handle
	link          layers.LinkType

	closed    atomic.Bool
	closeOnce sync.Once
}

var _ Source = (*PcapSource)(nil)

// pcapTimeout is how long a read waits before looking whether the source
// was closed.
const pcapTimeout = 100 * time.Millisecond

// OpenPcap starts capturing on the local interface iface through libpcap,
// promiscuous, in immediate mode. filter is tcpdump filter syntax ("" for
// everything); when libpcap cannot compile or attach it, OpenPcap fails with
// a *FilterError rather than capture everything. snaplen bounds the bytes
// kept per frame (0: DefaultSnaplen). Without CAP_NET_RAW the error is a
// *PermissionError saying so.
func OpenPcap(iface, filter string, snaplen int) (*PcapSource, error) {
	if iface == "" || strings.ContainsAny(iface, "/ \t\n\x00") {
		return nil, fmt.Errorf("live capture: %q is not an interface name", iface)
	}
	if snaplen <= 0 {
		snaplen = DefaultSnaplen
	}
	ih, err := pcap.NewInactiveHandle(iface)
	if err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	defer ih.CleanUp()
	for _, set := range []func() error{
		func() error { return ih.SetSnapLen(snaplen) },
		func() error { return ih.SetPromisc(true) },
		func() error { return ih.SetTimeout(pcapTimeout) },
		func() error { return ih.SetImmediateMode(true) },
	} {
		if err := set(); err != nil {
			return nil, fmt.Errorf("live capture on %s: %w", iface, err)
		}
	}
	h, err := ih.Activate()
	if err != nil {
		if strings.Contains(err.Error(), "ermission") || strings.Contains(err.Error(), "not permitted") {
			return nil, &PermissionError{Iface: iface, Err: errors.Join(unix.EPERM, err)}
		}
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	if filter != "" {
		if err := h.SetBPFFilter(filter); err != nil {
			h.Close()
			return nil, fmt.Errorf("live capture on %s: %w", iface, &FilterError{Filter: filter, Reason: err.Error(), Err: err})
		}
	}
	return &PcapSource{iface: iface, filter: filter, h: h, link: h.LinkType()}, nil
}

// Next returns the next packet; data is valid until the next call. It
// returns io.EOF once the source is closed.
func (s *PcapSource) Next() ([]byte, gopacket.CaptureInfo, error) {
	for {
		if s.closed.Load() {
			return nil, gopacket.CaptureInfo{}, io.EOF
		}
		data, ci, err := s.h.ZeroCopyReadPacketData()
		switch {
		case err == nil:
			return data, ci, nil
		case errors.Is(err, pcap.NextErrorTimeoutExpired):
			continue
		case s.closed.Load() || errors.Is(err, io.EOF) || errors.Is(err, pcap.NextErrorNoMorePackets):
			return nil, gopacket.CaptureInfo{}, io.EOF
		default:
			return nil, ci, fmt.Errorf("live capture on %s: %w", s.iface, err)
		}
	}
}

// Interface implements Source: every packet comes from the one interface.
func (s *PcapSource) Interface(gopacket.CaptureInfo) (string, layers.LinkType) {
	return s.iface, s.link
}

// Name is the interface captured on.
func (s *PcapSource) Name() string { return s.iface }

// Filter is the filter applied, as typed.
func (s *PcapSource) Filter() string { return s.filter }

// Close stops the capture; a read waiting for packets returns io.EOF
// within pcapTimeout.
func (s *PcapSource) Close() error {
	s.closed.Store(true)
	s.closeOnce.Do(func() { s.h.Close() })
	return nil
}
