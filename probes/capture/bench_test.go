package capture

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// writeSyntheticPcap writes n packets cycling through the real captures'
// packets, with increasing timestamps, to a pcap in dir.
func writeSyntheticPcap(b *testing.B, dir string, n int) string {
	pkts := loadPackets(b)
	path := filepath.Join(dir, "synthetic.pcap")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := pcapgo.NewWriter(bw)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		p := pkts[i%len(pkts)]
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Microsecond), CaptureLength: len(p.data), Length: len(p.data)}
		if err := w.WritePacket(ci, p.data); err != nil {
			b.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// BenchmarkDecodeStats1M reads, decodes and counts a 1,000,000-packet pcap
// made from the real captures' packets; reports packets/s and allocs/packet.
func BenchmarkDecodeStats1M(b *testing.B) {
	const n = 1_000_000
	path := writeSyntheticPcap(b, b.TempDir(), n)
	b.ReportAllocs()
	b.ResetTimer()
	var total time.Duration
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for i := 0; i < b.N; i++ {
		r, err := OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		st := NewStats(StatsConfig{RingSize: 10000})
		start := time.Now()
		if err := Run(context.Background(), r, st, nil); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		r.Close()
		if sn := st.Snapshot(); sn.Packets != n {
			b.Fatalf("%d packets", sn.Packets)
		}
	}
	runtime.ReadMemStats(&ms1)
	b.StopTimer()
	mpps := float64(n) * float64(b.N) / total.Seconds() / 1e6
	b.ReportMetric(mpps, "Mpps")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(n*b.N), "allocs/packet")
	// The same file through tcpdump -nn -r (printing to /dev/null), in the
	// same run, when tcpdump is installed (CI installs it).
	if tcpdump, err := exec.LookPath("tcpdump"); err == nil {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer null.Close()
		var stderr bytes.Buffer
		cmd := exec.Command(tcpdump, "-nn", "-r", path)
		cmd.Stdout, cmd.Stderr = null, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("tcpdump: %v: %s", err, stderr.String())
		}
		td := time.Since(start)
		b.ReportMetric(td.Seconds(), "tcpdump-s")
		b.ReportMetric(td.Seconds()/(total.Seconds()/float64(b.N)), "x-faster-than-tcpdump")
	}
	// And tshark answering the same question (VLAN, ESP SPI, LACP and STP
	// fields of every packet), when installed (CI installs it).
	if tshark, err := exec.LookPath("tshark"); err == nil {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer null.Close()
		var stderr bytes.Buffer
		cmd := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "vlan.id", "-e", "esp.spi",
			"-e", "lacp.actor.sysid", "-e", "lacp.partner.sysid", "-e", "stp.root.hw")
		cmd.Stdout, cmd.Stderr = null, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("tshark: %v: %s", err, stderr.String())
		}
		ts := time.Since(start)
		b.ReportMetric(ts.Seconds(), "tshark-s")
		b.ReportMetric(ts.Seconds()/(total.Seconds()/float64(b.N)), "x-faster-than-tshark")
	}
}

// BenchmarkDecodeStatsInMemory measures decode + Stats.Add alone, without
// file I/O, with allocations per packet.
func BenchmarkDecodeStatsInMemory(b *testing.B) {
	pkts := loadPackets(b)
	d := NewDecoder(layers.LinkTypeEthernet)
	st := NewStats(StatsConfig{RingSize: 10000})
	var s Summary
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := &pkts[i%len(pkts)]
		_ = d.Decode(p.data, p.ci, "eth0", &s)
		st.Add(&s)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpps")
}
