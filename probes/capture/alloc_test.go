package capture

import (
	"io"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

type rawPacket struct {
	data []byte
	ci   gopacket.CaptureInfo
}

func loadPackets(t testing.TB) []rawPacket {
	t.Helper()
	files, _ := filepath.Glob("testdata/*.pcap")
	var out []rawPacket
	for _, f := range files {
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
			out = append(out, rawPacket{append([]byte(nil), data...), ci})
		}
		r.Close()
	}
	if len(out) == 0 {
		t.Fatal("no packets in testdata")
	}
	return out
}

// TestZeroAllocs: decoding and counting the real captures allocates nothing
// once the keys (interfaces, ports, SPIs) are known.
func TestZeroAllocs(t *testing.T) {
	pkts := loadPackets(t)
	d := NewDecoder(layers.LinkTypeEthernet)
	st := NewStats(StatsConfig{RingSize: 128})
	var s Summary
	run := func() {
		for i := range pkts {
			_ = d.Decode(pkts[i].data, pkts[i].ci, "eth0", &s)
			st.Add(&s)
		}
	}
	run() // learn the keys
	if a := testing.AllocsPerRun(20, run); a != 0 {
		t.Errorf("%.1f allocations per pass over %d packets, want 0", a, len(pkts))
	}
}

// TestRingMemory measures the heap held by a 100,000-entry ring: it must stay
// under 30 MB.
func TestRingMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st := NewStats(StatsConfig{RingSize: 100_000})
	pkts := loadPackets(t)
	d := NewDecoder(layers.LinkTypeEthernet)
	var s Summary
	for i := 0; i < 100_000; i++ {
		p := &pkts[i%len(pkts)]
		_ = d.Decode(p.data, p.ci, "eth0", &s)
		st.Add(&s)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	used := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("ring of 100k summaries: %.1f MB heap (Summary is %d bytes)", float64(used)/1e6, summarySize)
	if used > 30e6 {
		t.Errorf("ring of 100k packets holds %.1f MB, limit 30 MB", float64(used)/1e6)
	}
	runtime.KeepAlive(st)
}
