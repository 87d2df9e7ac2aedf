package transport

import (
	"bytes"
	"testing"
)

// BenchmarkScreen feeds 1 MiB of paged, coloured device output through the
// terminal model.
func BenchmarkScreen(b *testing.B) {
	var page bytes.Buffer
	for page.Len() < 1<<20 {
		page.WriteString("Gi1/0/1   \x1b[32mconnected\x1b[0m    100   a-full a-1000 10/100/1000BaseTX\r\n")
		page.WriteString(" --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b")
	}
	data := page.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var s screen
	for b.Loop() {
		s.reset()
		s.Write(data)
	}
}

// BenchmarkCapBuffer measures the capped collector of exec output.
func BenchmarkCapBuffer(b *testing.B) {
	chunk := bytes.Repeat([]byte("x"), 32<<10)
	b.SetBytes(int64(len(chunk)) * 64)
	b.ReportAllocs()
	for b.Loop() {
		c := newCapBuffer(1 << 20)
		w := c.writer(false)
		for i := 0; i < 64; i++ {
			w.Write(chunk)
		}
	}
}
