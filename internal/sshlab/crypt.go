package sshlab

import (
	"crypto/rand"
	"crypto/sha512"
	"strings"
)

const cryptAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// sha512Crypt returns the crypt(3) SHA-512 hash ("$6$salt$...") of password
// with the default 5000 rounds, as found in /etc/shadow. salt is cut to 16
// characters.
func sha512Crypt(password, salt string) string {
	if len(salt) > 16 {
		salt = salt[:16]
	}
	p, s := []byte(password), []byte(salt)

	h := sha512.New()
	h.Write(p)
	h.Write(s)
	h.Write(p)
	b := h.Sum(nil)

	h.Reset()
	h.Write(p)
	h.Write(s)
	for i := len(p); i > 0; i -= 64 {
		h.Write(b[:min(i, 64)])
	}
	for i := len(p); i > 0; i >>= 1 {
		if i&1 != 0 {
			h.Write(b)
		} else {
			h.Write(p)
		}
	}
	a := h.Sum(nil)

	h.Reset()
	for range len(p) {
		h.Write(p)
	}
	dp := h.Sum(nil)
	pseq := make([]byte, len(p))
	for i := range pseq {
		pseq[i] = dp[i%64]
	}

	h.Reset()
	for range 16 + int(a[0]) {
		h.Write(s)
	}
	sseq := h.Sum(nil)[:len(s)]

	c := a
	for i := range 5000 {
		h.Reset()
		if i&1 != 0 {
			h.Write(pseq)
		} else {
			h.Write(c)
		}
		if i%3 != 0 {
			h.Write(sseq)
		}
		if i%7 != 0 {
			h.Write(pseq)
		}
		if i&1 != 0 {
			h.Write(c)
		} else {
			h.Write(pseq)
		}
		c = h.Sum(nil)
	}

	var out strings.Builder
	out.WriteString("$6$" + salt + "$")
	enc := func(b2, b1, b0 byte, n int) {
		w := uint(b2)<<16 | uint(b1)<<8 | uint(b0)
		for range n {
			out.WriteByte(cryptAlphabet[w&0x3f])
			w >>= 6
		}
	}
	for i := range 21 {
		x, y, z := c[i], c[i+21], c[i+42]
		switch i % 3 {
		case 0:
			enc(x, y, z, 4)
		case 1:
			enc(y, z, x, 4)
		default:
			enc(z, x, y, 4)
		}
	}
	enc(0, 0, c[63], 2)
	return out.String()
}

// randomSalt returns 16 random characters of the crypt alphabet.
func randomSalt() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = cryptAlphabet[int(b[i])%len(cryptAlphabet)]
	}
	return string(b)
}
