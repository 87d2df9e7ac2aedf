package capture

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func TestReaderTruncatedAndGarbage(t *testing.T) {
	full, err := os.ReadFile("testdata/ovs-lacp-a1.pcap")
	if err != nil {
		t.Fatal(err)
	}
	// cut in the middle of the 5th record: 4 packets stay usable
	off := 24
	for i := 0; i < 4; i++ {
		off += 16 + int(uint32(full[off+8])|uint32(full[off+9])<<8|uint32(full[off+10])<<16|uint32(full[off+11])<<24)
	}
	r, err := NewReader(bytes.NewReader(full[:off+20]), "cut.pcap")
	if err != nil {
		t.Fatal(err)
	}
	st := NewStats(StatsConfig{})
	err = Run(context.Background(), r, st, nil)
	var re *ReadError
	if !errors.As(err, &re) || re.Packet != 5 || re.Offset != int64(off) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want a ReadError for packet 5 at offset %d", err, off)
	}
	if !strings.Contains(err.Error(), "truncated") {
		t.Errorf("message %q does not say truncated", err)
	}
	if sn := st.Snapshot(); sn.Packets != 4 {
		t.Errorf("%d packets decoded before the error, want 4", sn.Packets)
	}
	// garbage record header: absurd capture length
	bad := append([]byte(nil), full[:off]...)
	bad = append(bad, bytes.Repeat([]byte{0xff}, 40)...)
	r, _ = NewReader(bytes.NewReader(bad), "bad.pcap")
	n := 0
	for {
		if _, _, err = r.Next(); err != nil {
			break
		}
		n++
	}
	if n != 4 || !errors.As(err, &re) || re.Packet != 5 {
		t.Errorf("read %d then %v", n, err)
	}
	// not a capture at all
	if _, err := NewReader(strings.NewReader("hello, this is text"), "x"); !errors.Is(err, ErrNotCapture) {
		t.Errorf("text input: %v", err)
	}
	if _, err := NewReader(bytes.NewReader(full[:10]), "short"); err == nil {
		t.Error("10-byte header accepted")
	}
}

// TestWriterPcapngTcpdump saves all real captures into one pcapng with two
// interfaces, reads it back, and checks that tcpdump reads it too.
func TestWriterPcapngTcpdump(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.pcapng")
	w, err := CreateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range []string{"testdata/ovs-lacp-a1.pcap", "testdata/ike-esp-good.pcap"} {
		r, err := OpenFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for {
			data, ci, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WritePacket(filepath.Base(f), layers.LinkTypeEthernet, ci, data); err != nil {
				t.Fatal(err)
			}
			total++
		}
		r.Close()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Format() != FormatPcapng {
		t.Errorf("format %s", r.Format())
	}
	st := NewStats(StatsConfig{})
	if err := Run(context.Background(), r, st, nil); err != nil {
		t.Fatal(err)
	}
	sn := st.Snapshot()
	if int(sn.Packets) != total || sn.Interfaces["ovs-lacp-a1.pcap"] != 32 || sn.Interfaces["ike-esp-good.pcap"] != 10 {
		t.Errorf("read back %d packets, interfaces %v; wrote %d", sn.Packets, sn.Interfaces, total)
	}
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Fatal("tcpdump is needed to check that saved pcapng files open elsewhere:", err)
	}
	out, err := exec.Command(tcpdump, "-nn", "-r", path).CombinedOutput()
	if err != nil {
		t.Fatalf("tcpdump -r: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "\n") - strings.Count(string(out), "reading from file"); n != total {
		t.Errorf("tcpdump printed %d packets, want %d:\n%s", n, total, out)
	}
	if !strings.Contains(string(out), "LACPv1") || !strings.Contains(string(out), "isakmp") {
		t.Errorf("tcpdump output lacks LACP or IKE:\n%s", out)
	}
}
