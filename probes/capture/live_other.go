//go:build !linux

package capture

import (
	"context"
	"errors"
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// DefaultSnaplen is the capture length OpenLive uses when given 0.
const DefaultSnaplen = 262144

// LiveSource is a local live capture; it exists on Linux only.
type LiveSource struct{ iface string }

// errLiveUnsupported is returned by OpenLive outside Linux.
var errLiveUnsupported = errors.New("local live capture needs Linux (AF_PACKET); capture on the device over SSH or open a capture file")

// OpenLive fails outside Linux (after checking the filter, as on Linux).
func OpenLive(iface string, filter string, snaplen int) (*LiveSource, error) {
	if _, err := CompileFilter(context.Background(), filter); err != nil {
		return nil, fmt.Errorf("live capture on %s: %w", iface, err)
	}
	return nil, fmt.Errorf("live capture on %s: %w", iface, errLiveUnsupported)
}

// Next returns an error: there is no live capture outside Linux.
func (s *LiveSource) Next() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, errLiveUnsupported
}

// Interface returns the interface name and LinkTypeEthernet.
func (s *LiveSource) Interface(gopacket.CaptureInfo) (string, layers.LinkType) {
	return s.iface, layers.LinkTypeEthernet
}

// Stats returns zero counts.
func (s *LiveSource) Stats() LiveStats { return LiveStats{} }

// Close does nothing.
func (s *LiveSource) Close() error { return nil }

// LinkType returns LinkTypeEthernet.
func (s *LiveSource) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// Name returns the interface name.
func (s *LiveSource) Name() string { return s.iface }

// Filter returns "".
func (s *LiveSource) Filter() string { return "" }
