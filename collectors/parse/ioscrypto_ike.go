package parse

import (
	"io"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ---- show crypto isakmp sa [detail] (IOS/IOS-XE, IKEv1) ----
//
//	IPv4 Crypto ISAKMP SA
//	dst             src             state          conn-id status
//	100.0.10.2      100.13.220.2    QM_IDLE          29609 ACTIVE
//	100.0.10.2      100.12.82.2     MM_NO_STATE      29188 ACTIVE (deleted)
//
// and with "detail":
//
//	C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.
//	29609 100.0.10.2      100.13.220.2     RED      ACTIVE aes  sha    psk  16 00:01:47 D
//	       Engine-id:Conn-id =  SW:12609
//
// The brief table names the two ends dst and src: src is the end that
// started the exchange, so which of them is this router depends on who
// initiated. When one address is in every row (a hub) it is taken as the
// local one; otherwise dst is taken as the peer (the usual case of a
// router that initiated towards its peer).
//
// The detail table prints "aes" without a key size: the encryption is then
// left unknown rather than guessed.

func ioscrDetectIsakmp(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "IPv4 Crypto ISAKMP SA") || strings.HasPrefix(t, "IPv6 Crypto ISAKMP SA") {
			return true
		}
		f := strings.Fields(t)
		if len(f) >= 5 && f[0] == "dst" && f[1] == "src" && f[2] == "state" && f[3] == "conn-id" {
			return true
		}
		if len(f) >= 6 && f[0] == "C-id" && f[1] == "Local" && f[2] == "Remote" {
			return true
		}
	}
	return false
}

// ioscrIsakmpRow is one row of the brief table before the ends are decided.
type ioscrIsakmpRow struct {
	sa       *netmodel.IKESA
	dst, src netip.Addr
}

func ioscrParseIsakmp(r io.Reader) ([]*netmodel.IKESA, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return nil, err
	}
	var (
		out    []*netmodel.IKESA
		brief  []ioscrIsakmpRow
		errs   ioscrErrs
		mode   string // "brief", "detail"
		header bool
	)
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		f := strings.Fields(t)
		switch {
		case len(f) == 0:
			continue
		case strings.HasPrefix(t, "IPv4 Crypto ISAKMP SA") || strings.HasPrefix(t, "IPv6 Crypto ISAKMP SA"):
			header = true
			continue
		case f[0] == "dst" && len(f) > 1 && f[1] == "src":
			mode, header = "brief", true
			continue
		case f[0] == "C-id":
			mode, header = "detail", true
			continue
		case strings.HasPrefix(t, "Engine-id") || strings.HasPrefix(t, "Cap.") || strings.HasPrefix(t, "Capabilities"):
			continue
		}
		switch mode {
		case "brief":
			row, ok := ioscrIsakmpBrief(f, ln, &errs)
			if ok {
				brief = append(brief, row)
			}
		case "detail":
			if sa := ioscrIsakmpDetail(f, ln, &errs); sa != nil {
				out = append(out, sa)
			}
		default:
			errs.addf(ln, "unexpected line before the ISAKMP SA table header: %q", t)
		}
	}
	if !header {
		errs.addf(0, "no ISAKMP SA table header found")
	}
	ioscrIsakmpEnds(brief)
	for _, r := range brief {
		out = append(out, r.sa)
	}
	return out, errs.err()
}

// ioscrIsakmpBrief reads "dst src state conn-id [slot] status".
func ioscrIsakmpBrief(f []string, ln int, errs *ioscrErrs) (ioscrIsakmpRow, bool) {
	if len(f) < 5 {
		errs.addf(ln, "ISAKMP SA row has %d fields, want dst src state conn-id status (output truncated?)", len(f))
		return ioscrIsakmpRow{}, false
	}
	dst, err1 := netip.ParseAddr(f[0])
	src, err2 := netip.ParseAddr(f[1])
	if err1 != nil || err2 != nil {
		errs.addf(ln, "ISAKMP SA row %q: dst/src are not addresses", strings.Join(f, " "))
		return ioscrIsakmpRow{}, false
	}
	if _, ok := ioscrAtoi(f[3]); !ok {
		errs.addf(ln, "ISAKMP SA conn-id %q is not a number", f[3])
		return ioscrIsakmpRow{}, false
	}
	rest := f[4:]
	if len(rest) > 1 {
		if _, ok := ioscrAtoi(rest[0]); ok { // older IOS: a slot column
			rest = rest[1:]
		}
	}
	status := strings.Join(rest, " ")
	state := f[2]
	sa := &netmodel.IKESA{
		Version:    1,
		State:      state,
		Up:         (state == "QM_IDLE" || state == "GDOI_IDLE") && strings.HasPrefix(status, "ACTIVE") && !strings.Contains(status, "deleted"),
		Aggressive: strings.HasPrefix(state, "AG_"),
		Remaining:  -1,
		Src:        netmodel.Lines(ln, ln),
	}
	return ioscrIsakmpRow{sa: sa, dst: dst.Unmap(), src: src.Unmap()}, true
}

// ioscrIsakmpEnds decides which end of each brief row is local.
func ioscrIsakmpEnds(rows []ioscrIsakmpRow) {
	var local netip.Addr
	if len(rows) > 1 {
		for _, cand := range []netip.Addr{rows[0].dst, rows[0].src} {
			all := true
			for _, r := range rows {
				if r.dst != cand && r.src != cand {
					all = false
					break
				}
			}
			if all {
				local = cand
				break
			}
		}
	}
	for _, r := range rows {
		switch {
		case local.IsValid() && r.src == local:
			r.sa.LocalAddr, r.sa.RemoteAddr = r.src, r.dst
		case local.IsValid():
			r.sa.LocalAddr, r.sa.RemoteAddr = r.dst, r.src
		default:
			r.sa.LocalAddr, r.sa.RemoteAddr = r.src, r.dst
		}
	}
}

// ioscrIsakmpDetail reads "C-id Local Remote [I-VRF] Status Encr Hash Auth
// DH Lifetime [Cap.]".
func ioscrIsakmpDetail(f []string, ln int, errs *ioscrErrs) *netmodel.IKESA {
	if _, ok := ioscrAtoi(f[0]); !ok {
		errs.addf(ln, "ISAKMP SA detail row starts with %q, not a connection id", f[0])
		return nil
	}
	li := -1 // the Lifetime column, the first hh:mm:ss after the addresses
	for i := 3; i < len(f); i++ {
		if _, ok := ioscrClock(f[i]); ok {
			li = i
			break
		}
	}
	if len(f) < 3 || li < 8 {
		errs.addf(ln, "ISAKMP SA detail row %q lacks columns (output truncated?)", strings.Join(f, " "))
		return nil
	}
	local, err1 := netip.ParseAddr(f[1])
	remote, err2 := netip.ParseAddr(f[2])
	if err1 != nil || err2 != nil {
		errs.addf(ln, "ISAKMP SA detail row: Local/Remote %q %q are not addresses", f[1], f[2])
		return nil
	}
	status, encr, hash, dh := f[li-5], f[li-4], f[li-3], f[li-1]
	rem, _ := ioscrClock(f[li])
	sa := &netmodel.IKESA{
		Version:    1,
		LocalAddr:  local.Unmap(),
		RemoteAddr: remote.Unmap(),
		State:      status,
		Up:         status == "ACTIVE",
		Remaining:  rem,
		Src:        netmodel.Lines(ln, ln),
	}
	if e := strings.ToLower(encr); e != "aes" {
		sa.Algs.Encryption = ioscrEncName(e, 0)
	}
	sa.Algs.Integrity = ioscrIntegName(hash)
	sa.Algs.DH = ioscrDH(dh)
	return sa
}

// ---- show crypto ikev2 sa detailed (IOS/IOS-XE) ----
//
//	Tunnel-id Local                 Remote                fvrf/ivrf            Status
//	973       92.1.121.1/500        22.1.1.2/500          none/121             READY
//	      Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:19, Auth sign: PSK, Auth verify: PSK
//	      Life/Active Time: 86400/12689 sec
//	      Local spi: 000D3669857A0F82       Remote spi: E0419B1DB02DE6AE
//	      Initiator of SA : Yes
//
// IPv6 SAs print the ends on lines of their own:
//
//	Tunnel-id    fvrf/ivrf              Status
//	1          none/none             READY
//	Local  2001:DB8:1101::131/500
//	Remote  2001:DB8:1201::122/500

func ioscrDetectIKEv2(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "IPv4 Crypto IKEv2") || strings.HasPrefix(t, "IPv6 Crypto IKEv2") {
			return true
		}
		if strings.HasPrefix(t, "Tunnel-id") && strings.Contains(t, "fvrf/ivrf") {
			return true
		}
	}
	return false
}

// ioscrIKEv2SA is an IKEv2 SA being read, with what is resolved at its end.
type ioscrIKEv2SA struct {
	sa            *netmodel.IKESA
	localSPI      string
	remoteSPI     string
	initiator     int // 1 yes, -1 no, 0 not printed
	sawEncr       bool
	needEnds      bool
	life, active  int
	lifeKnown     bool
	start, header int
}

func (x *ioscrIKEv2SA) finish(errs *ioscrErrs, eof bool) *netmodel.IKESA {
	sa := x.sa
	if x.needEnds && (!sa.LocalAddr.IsValid() || !sa.RemoteAddr.IsValid()) {
		errs.addf(x.start, "IKEv2 SA: Local/Remote lines missing (output truncated?)")
	}
	if !x.sawEncr {
		why := ""
		if eof {
			why = " (output truncated?)"
		}
		errs.addf(x.start, "IKEv2 SA %s: no Encr line%s", sa.RemoteAddr, why)
	}
	if x.lifeKnown {
		sa.Lifetime = x.life
		if x.life >= x.active {
			sa.Remaining = x.life - x.active
		}
	}
	switch x.initiator {
	case -1:
		sa.InitSPI, sa.RespSPI = x.remoteSPI, x.localSPI
	default:
		sa.InitSPI, sa.RespSPI = x.localSPI, x.remoteSPI
	}
	return sa
}

// ioscrIKEv2Detail reads the indented lines under an IKEv2 SA that IOS and
// the ASA share; it reports whether the line was one of them.
func ioscrIKEv2Detail(x *ioscrIKEv2SA, t string, ln int, errs *ioscrErrs) bool {
	sa := x.sa
	switch {
	case strings.HasPrefix(t, "Encr:"):
		x.sawEncr = true
		encr, _ := ioscrAfter(t, "Encr:")
		size := 0
		if ks, ok := ioscrAfter(t, "keysize:"); ok {
			size, _ = ioscrAtoi(ks)
		}
		sa.Algs.Encryption = ioscrEncName(encr, size)
		if prf, ok := ioscrAfter(t, "PRF:"); ok && !strings.EqualFold(prf, "N/A") {
			sa.Algs.PRF = netmodel.NormPRF(ioscrIntegName(prf))
		}
		if h, ok := ioscrAfter(t, "Hash:"); ok {
			sa.Algs.Integrity = ioscrIntegName(h)
		}
		if g, ok := ioscrAfter(t, "DH Grp:"); ok {
			sa.Algs.DH = ioscrDH(g)
		}
	case strings.HasPrefix(t, "Life/Active Time:"):
		v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(t, "Life/Active Time:")), "sec"))
		l, a, ok := strings.Cut(v, "/")
		life, ok1 := ioscrAtoi(l)
		active, ok2 := ioscrAtoi(a)
		if !ok || !ok1 || !ok2 {
			errs.addf(ln, "Life/Active Time %q", v)
			return true
		}
		x.life, x.active, x.lifeKnown = life, active, true
	case strings.HasPrefix(t, "Local spi:"):
		x.localSPI, _ = ioscrAfter(t, "Local spi:")
		if f := strings.Fields(x.localSPI); len(f) > 0 {
			x.localSPI = f[0]
		}
		x.remoteSPI, _ = ioscrAfter(t, "Remote spi:")
	case strings.HasPrefix(t, "Initiator of SA"):
		_, v, _ := strings.Cut(t, ":")
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "yes":
			x.initiator = 1
		case "no":
			x.initiator = -1
		}
	default:
		return false
	}
	return true
}

func ioscrParseIKEv2(r io.Reader) ([]*netmodel.IKESA, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return nil, err
	}
	var (
		out     []*netmodel.IKESA
		errs    ioscrErrs
		cur     *ioscrIKEv2SA
		cols    []string // header columns of the current table
		sawHead bool
	)
	flush := func(eof bool) {
		if cur != nil {
			out = append(out, cur.finish(&errs, eof))
			cur = nil
		}
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		f := strings.Fields(t)
		switch {
		case len(f) == 0:
			continue
		case strings.HasPrefix(t, "IPv4 Crypto IKEv2") || strings.HasPrefix(t, "IPv6 Crypto IKEv2"):
			flush(false)
			sawHead = true
			continue
		case f[0] == "Tunnel-id":
			flush(false)
			cols, sawHead = f, true
			continue
		}
		// A new SA: a row at the left margin whose first column is the tunnel id.
		if raw[0] != ' ' && raw[0] != '\t' && cols != nil {
			if _, ok := ioscrAtoi(f[0]); ok {
				flush(false)
				cur = ioscrIKEv2Row(cols, f, ln, &errs)
				continue
			}
		}
		if cur == nil {
			if cols == nil {
				errs.addf(ln, "unexpected line before the IKEv2 SA table header: %q", t)
			}
			continue
		}
		cur.sa.Src.End = ln
		switch {
		case f[0] == "Local" && len(f) == 2:
			a, port, ok := ioscrAddr(f[1])
			if !ok {
				errs.addf(ln, "IKEv2 SA Local %q is not an address", f[1])
				continue
			}
			cur.sa.LocalAddr, cur.sa.LocalPort = a, port
		case f[0] == "Remote" && len(f) == 2:
			a, port, ok := ioscrAddr(f[1])
			if !ok {
				errs.addf(ln, "IKEv2 SA Remote %q is not an address", f[1])
				continue
			}
			cur.sa.RemoteAddr, cur.sa.RemotePort = a, port
		default:
			ioscrIKEv2Detail(cur, t, ln, &errs)
		}
	}
	flush(true)
	if !sawHead {
		errs.addf(0, "no IKEv2 SA table header found")
	}
	return out, errs.err()
}

// ioscrIKEv2Row reads a tunnel row by the header's columns: "Tunnel-id
// Local Remote fvrf/ivrf Status" or "Tunnel-id fvrf/ivrf Status".
func ioscrIKEv2Row(cols, f []string, ln int, errs *ioscrErrs) *ioscrIKEv2SA {
	x := &ioscrIKEv2SA{sa: &netmodel.IKESA{Version: 2, Remaining: -1, Src: netmodel.Lines(ln, ln)}, start: ln}
	if len(f) < len(cols) {
		errs.addf(ln, "IKEv2 SA row has %d columns, the header %d (output truncated?)", len(f), len(cols))
	}
	x.needEnds = true
	for i, c := range cols {
		if i >= len(f) {
			break
		}
		switch c {
		case "Tunnel-id":
			x.sa.Name = "Tunnel-id " + f[i]
		case "Local":
			a, port, ok := ioscrAddr(f[i])
			if !ok {
				errs.addf(ln, "IKEv2 SA Local %q is not an address", f[i])
				continue
			}
			x.sa.LocalAddr, x.sa.LocalPort = a, port
		case "Remote":
			a, port, ok := ioscrAddr(f[i])
			if !ok {
				errs.addf(ln, "IKEv2 SA Remote %q is not an address", f[i])
				continue
			}
			x.sa.RemoteAddr, x.sa.RemotePort = a, port
		case "Status":
			x.sa.State = f[i]
			x.sa.Up = f[i] == "READY"
		}
	}
	return x
}
