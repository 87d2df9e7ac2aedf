package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Format is the container format of a capture.
type Format uint8

// Capture formats.
const (
	FormatPcap Format = iota + 1
	FormatPcapng
)

func (f Format) String() string {
	switch f {
	case FormatPcap:
		return "pcap"
	case FormatPcapng:
		return "pcapng"
	}
	return "unknown"
}

// ErrNotCapture is returned (wrapped) when input starts with neither a pcap
// nor a pcapng magic number.
var ErrNotCapture = errors.New("not a pcap or pcapng capture")

// ReadError reports where reading a capture failed. Packets returned before
// the error are valid.
type ReadError struct {
	Source string // file name or stream name
	Packet uint64 // 1-based number of the packet that could not be read
	Offset int64  // byte offset of that packet's record, -1 when not known (pcapng)
	Err    error
}

func (e *ReadError) Error() string {
	msg := e.Err.Error()
	if errors.Is(e.Err, io.ErrUnexpectedEOF) {
		msg = "capture ends in the middle of a packet record (truncated)"
	}
	if e.Offset >= 0 {
		return fmt.Sprintf("%s: packet %d at byte offset %d: %s", e.Source, e.Packet, e.Offset, msg)
	}
	return fmt.Sprintf("%s: packet %d: %s", e.Source, e.Packet, msg)
}

func (e *ReadError) Unwrap() error { return e.Err }

// Reader reads packets from a pcap or pcapng file or stream, such as the
// output of `tcpdump -U -w -` over SSH. It is not safe for concurrent use.
type Reader struct {
	name   string
	format Format
	pcap   *pcapgo.Reader
	ng     *pcapgo.NgReader
	closer io.Closer
	ifaces []string // pcapng interface names by index
	links  []layers.LinkType
	n      uint64
	off    int64 // pcap: offset of the next record
	err    error
}

// OpenFile opens a pcap or pcapng file (gzip-compressed files too); the
// interface name of pcap packets is the file's base name.
func OpenFile(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads a pcap or pcapng capture from r. name identifies the source
// in errors and is the interface name of packets in a pcap (pcapng carries
// its own interface names). Reading blocks as r does; to stop a stream, close
// what r reads from.
func NewReader(r io.Reader, name string) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(4)
	if err != nil {
		if err == io.EOF && len(magic) == 0 {
			return nil, fmt.Errorf("%s: empty input: %w", name, ErrNotCapture)
		}
		return nil, fmt.Errorf("%s: reading file header: %w", name, io.ErrUnexpectedEOF)
	}
	rd := &Reader{name: name}
	switch m := binary.BigEndian.Uint32(magic); {
	case m == 0x0a0d0d0a:
		rd.format = FormatPcapng
		rd.ng, err = pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{})
	case m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1 || m>>16 == 0x1f8b:
		rd.format = FormatPcap
		rd.pcap, err = pcapgo.NewReader(br)
		rd.off = 24
	default:
		return nil, fmt.Errorf("%s: magic %08x: %w", name, m, ErrNotCapture)
	}
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%s: reading %s header: %w", name, rd.format, err)
	}
	if rd.pcap != nil && magic[0] == 0x1f {
		rd.off = -1 // offsets of a gzip stream mean nothing to the user
	}
	return rd, nil
}

// Format returns the capture's container format.
func (r *Reader) Format() Format { return r.format }

// Packets returns how many packets were read so far.
func (r *Reader) Packets() uint64 { return r.n }

// LinkType returns the link type of the first interface.
func (r *Reader) LinkType() layers.LinkType {
	if r.ng != nil {
		return r.ng.LinkType()
	}
	return r.pcap.LinkType()
}

// Next returns the next packet. data is valid until the next call. It
// returns io.EOF at a clean end, otherwise a *ReadError; after an error it
// keeps returning that error.
func (r *Reader) Next() (data []byte, ci gopacket.CaptureInfo, err error) {
	if r.err != nil {
		return nil, ci, r.err
	}
	if r.ng != nil {
		data, ci, err = r.ng.ZeroCopyReadPacketData()
	} else {
		data, ci, err = r.pcap.ZeroCopyReadPacketData()
	}
	if err != nil {
		if err != io.EOF {
			off := r.off
			if r.ng != nil {
				off = -1
			}
			err = &ReadError{Source: r.name, Packet: r.n + 1, Offset: off, Err: err}
		}
		r.err = err
		return nil, ci, err
	}
	r.n++
	if r.pcap != nil && r.off >= 0 {
		r.off += 16 + int64(len(data))
	}
	return data, ci, nil
}

// Interface returns the name and link type of the interface a packet was
// captured on: from the pcapng interface description block, or the reader's
// name and link type for pcap. It does not allocate once the interface is known.
func (r *Reader) Interface(ci gopacket.CaptureInfo) (string, layers.LinkType) {
	if r.ng == nil {
		return r.name, r.pcap.LinkType()
	}
	i := ci.InterfaceIndex
	if i < 0 {
		i = 0
	}
	for len(r.ifaces) <= i && len(r.ifaces) < r.ng.NInterfaces() {
		in, err := r.ng.Interface(len(r.ifaces))
		name := in.Name
		if err != nil || name == "" {
			name = fmt.Sprintf("%s#%d", r.name, len(r.ifaces))
		}
		r.ifaces = append(r.ifaces, name)
		r.links = append(r.links, in.LinkType)
	}
	if i < len(r.ifaces) {
		return r.ifaces[i], r.links[i]
	}
	return r.name, r.ng.LinkType()
}

// Close closes the file opened by OpenFile; it does nothing for NewReader.
func (r *Reader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}
