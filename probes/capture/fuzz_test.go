package capture

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// seedPayloads adds each real packet, and its payload from offset skip, to f.
func seedFrames(f *testing.F) [][]byte {
	files, _ := filepath.Glob("testdata/*.pcap")
	var out [][]byte
	for _, p := range files {
		r, err := OpenFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for {
			data, _, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, append([]byte(nil), data...))
		}
		r.Close()
	}
	return out
}

func FuzzLACP(f *testing.F) {
	for _, fr := range seedFrames(f) {
		if len(fr) > 14 && fr[12] == 0x88 && fr[13] == 0x09 {
			f.Add(fr[14:])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var l LACP
		if l.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
			return
		}
		buf := gopacket.NewSerializeBuffer()
		if err := l.SerializeTo(buf, gopacket.SerializeOptions{}); err != nil {
			t.Fatal(err)
		}
		var back LACP
		if err := back.DecodeFromBytes(buf.Bytes(), gopacket.NilDecodeFeedback); err != nil || back.Actor != l.Actor || back.Partner != l.Partner {
			t.Fatalf("round trip: %v %+v != %+v", err, back, l)
		}
	})
}

func FuzzBPDU(f *testing.F) {
	for _, fr := range seedFrames(f) {
		if len(fr) > 17 && fr[14] == 0x42 {
			f.Add(fr[17:])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b BPDU
		if b.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
			return
		}
		if len(b.Contents) > len(data) {
			t.Fatal("contents beyond input")
		}
		buf := gopacket.NewSerializeBuffer()
		if err := b.SerializeTo(buf, gopacket.SerializeOptions{}); err != nil {
			t.Fatal(err)
		}
		var back BPDU
		if err := back.DecodeFromBytes(buf.Bytes(), gopacket.NilDecodeFeedback); err != nil ||
			back.RootID != b.RootID || back.BridgeID != b.BridgeID || back.Flags != b.Flags || back.PortID != b.PortID {
			t.Fatalf("round trip: %v %+v != %+v", err, back, b)
		}
	})
}

func FuzzIKE(f *testing.F) {
	for _, fr := range seedFrames(f) {
		if len(fr) > 42 && fr[23] == 17 {
			p := fr[42:]
			if len(p) >= 4 && bytes.Equal(p[:4], []byte{0, 0, 0, 0}) {
				p = p[4:]
			}
			f.Add(p)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var k IKE
		if k.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil {
			return
		}
		if int(k.NotifyCount) > len(k.Notifies) {
			t.Fatal("notify count beyond array")
		}
	})
}

// FuzzDecoder feeds whole frames through the Decoder: it must never panic.
func FuzzDecoder(f *testing.F) {
	for _, fr := range seedFrames(f) {
		f.Add(fr)
	}
	d := NewDecoder(layers.LinkTypeEthernet)
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Summary
		_ = d.Decode(data, gopacket.CaptureInfo{Length: len(data), CaptureLength: len(data)}, "x", &s)
		_ = s.String()
	})
}

// FuzzReader feeds pcap and pcapng containers (real files and a pcapng
// written by Writer) to the reader: no panic, and every error is located.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.pcap")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	var ng bytes.Buffer
	w := NewWriter(&ng)
	for i, fr := range seedFrames(f) {
		if i > 20 {
			break
		}
		if err := w.WritePacket("eth0", layers.LinkTypeEthernet, gopacket.CaptureInfo{Length: len(fr), CaptureLength: len(fr)}, fr); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	f.Add(ng.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			data, ci, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if _, ok := err.(*ReadError); !ok {
					t.Fatalf("error without location: %v", err)
				}
				return
			}
			r.Interface(ci)
			_ = data
		}
	})
}
