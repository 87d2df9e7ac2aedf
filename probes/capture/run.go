package capture

import (
	"context"
	"errors"
	"io"

	"github.com/gopacket/gopacket/layers"
)

// Run reads r until a clean end (it then returns nil), a read error or ctx
// is done, decodes every packet, adds it to st when st is not nil and calls
// fn, when not nil, with the Summary (valid only during the call). Decode
// errors are counted in the Summary flags, not returned. A blocked stream
// read returns only when the stream is closed, so close it on cancel.
func Run(ctx context.Context, r *Reader, st *Stats, fn func(*Summary)) error {
	return runLoop(ctx, r, st, fn)
}

// runLoop is the loop of Run and RunSource.
func runLoop(ctx context.Context, src Source, st *Stats, fn func(*Summary)) error {
	type dec struct {
		link layers.LinkType
		d    *Decoder
	}
	var decs []dec
	var s Summary
	for i := 0; ; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		data, ci, err := src.Next()
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if errors.Is(err, io.EOF) && !errors.As(err, new(*ReadError)) {
				return nil
			}
			return err
		}
		iface, link := src.Interface(ci)
		var d *Decoder
		for _, x := range decs {
			if x.link == link {
				d = x.d
			}
		}
		if d == nil {
			d = NewDecoder(link)
			decs = append(decs, dec{link, d})
		}
		_ = d.Decode(data, ci, iface, &s)
		if st != nil {
			st.Add(&s)
		}
		if fn != nil {
			fn(&s)
		}
	}
}
