package bundle

import (
	"testing"
	"testing/fstest"
)

// TestMemFS checks the file system against the standard library's
// conformance test.
func TestMemFS(t *testing.T) {
	m := NewMemFS(map[string][]byte{
		"bundle.yaml":           []byte("format: 1\n"),
		"devices/sw1/a.txt":     []byte("a"),
		"devices/sw1/b.txt":     []byte("bb"),
		"devices/esx01/nic.txt": []byte(""),
		"captures/x/y/z.pcapng": []byte("pcap"),
	})
	if err := fstest.TestFS(m, "bundle.yaml", "devices/sw1/a.txt", "devices/sw1/b.txt", "devices/esx01/nic.txt", "captures/x/y/z.pcapng"); err != nil {
		t.Fatal(err)
	}
}
