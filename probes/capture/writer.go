package capture

import (
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Writer saves packets as pcapng, one interface description per interface
// name (readable by tcpdump, Wireshark and tshark). Not safe for concurrent use.
type Writer struct {
	out    io.Writer
	closer io.Closer
	ng     *pcapgo.NgWriter
	ifaces map[string]int
}

// NewWriter writes pcapng to w; call Close to flush.
func NewWriter(w io.Writer) *Writer { return &Writer{out: w, ifaces: map[string]int{}} }

// CreateFile creates (or truncates) path with mode 0600 and writes pcapng to it.
func CreateFile(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	w := NewWriter(f)
	w.closer = f
	return w, nil
}

// WritePacket appends one packet captured on iface with the given link type.
// ci.InterfaceIndex is ignored: the index is that of iface in the file.
func (w *Writer) WritePacket(iface string, link layers.LinkType, ci gopacket.CaptureInfo, data []byte) error {
	id, ok := w.ifaces[iface]
	if !ok {
		intf := pcapgo.NgInterface{Name: iface, LinkType: link, SnapLength: 0}
		var err error
		if w.ng == nil {
			w.ng, err = pcapgo.NewNgWriterInterface(w.out, intf, pcapgo.NgWriterOptions{
				SectionInfo: pcapgo.NgSectionInfo{Application: "nettui"}})
			id = 0
		} else {
			id, err = w.ng.AddInterface(intf)
		}
		if err != nil {
			return fmt.Errorf("pcapng: adding interface %q: %w", iface, err)
		}
		w.ifaces[iface] = id
	}
	ci.InterfaceIndex = id
	if ci.CaptureLength == 0 {
		ci.CaptureLength = len(data)
	}
	if ci.Length < ci.CaptureLength {
		ci.Length = ci.CaptureLength
	}
	return w.ng.WritePacket(ci, data)
}

// Close flushes buffered data and closes the file made by CreateFile. A
// Writer that never wrote a packet writes nothing.
func (w *Writer) Close() error {
	var err error
	if w.ng != nil {
		err = w.ng.Flush()
	}
	if w.closer != nil {
		if cerr := w.closer.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
