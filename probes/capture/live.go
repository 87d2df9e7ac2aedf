package capture

import (
	"context"
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Source is a stream of captured packets: a *Reader (file or stream) or a
// *LiveSource (local interface).
type Source interface {
	// Next returns the next packet; data is valid until the next call. It
	// returns io.EOF at a clean end (for a live source: once closed).
	Next() (data []byte, ci gopacket.CaptureInfo, err error)
	// Interface returns the name and link type of the interface a packet
	// returned by Next was captured on.
	Interface(ci gopacket.CaptureInfo) (string, layers.LinkType)
	// Close releases the source; for a live source it also makes a blocked
	// Next return io.EOF.
	Close() error
}

var (
	_ Source = (*Reader)(nil)
	_ Source = (*LiveSource)(nil)
)

// RunSource is Run for any Source: it reads src until a clean end (it then
// returns nil), a read error or ctx is done, decodes every packet, adds it to
// st when st is not nil and calls fn, when not nil, with the Summary (valid
// only during the call). When ctx is done it closes src, which unblocks a
// waiting read, and returns ctx.Err().
func RunSource(ctx context.Context, src Source, st *Stats, fn func(*Summary)) error {
	stop := context.AfterFunc(ctx, func() { src.Close() })
	defer stop()
	return runLoop(ctx, src, st, fn)
}

// PermissionError is returned by OpenLive when the process may not open a
// packet socket. It wraps the system error (errors.Is(err, os.ErrPermission)).
type PermissionError struct {
	Iface string
	Err   error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("live capture on %s needs CAP_NET_RAW (run as root or: setcap cap_net_raw+ep $(which nettui))", e.Iface)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// LiveStats counts what a live source saw.
type LiveStats struct {
	// Received is the number of packets Next returned.
	Received uint64
	// Filtered is the number of packets the kernel handed over that the
	// filter rejected in user space (VLAN-tagged frames, and frames queued
	// before the kernel filter was attached).
	Filtered uint64
	// KernelDropped is the number of packets the kernel dropped because the
	// socket buffer was full (reading too slowly).
	KernelDropped uint64
}
