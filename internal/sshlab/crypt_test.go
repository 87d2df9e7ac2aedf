package sshlab

import (
	"strings"
	"testing"
)

func TestSHA512Crypt(t *testing.T) {
	tests := []struct{ password, salt, want string }{
		// From the SHA-crypt specification.
		{"Hello world!", "saltstring", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"},
		// openssl passwd -6 -salt abcdefgh s3cret
		// openssl passwd -6 -salt ABCDEFGHIJKLMNOP <100 times x>
		{strings.Repeat("x", 100), "ABCDEFGHIJKLMNOPQRS", "$6$ABCDEFGHIJKLMNOP$3VFAjB/La9Wm8iJ4fBIr5HK32z2sL0Raifqy0aSgupdfeXhc3q/IDWEbgk8FSySRKyHyRG4f5BT/2fVuGa.Ch/"},
		{"s3cret", "abcdefgh", "$6$abcdefgh$Z7KfoKnKTSZrzo5VZ0YubGLQOj9ov6sHo9TmE3zIU/LHKhpE30zCnZ0mcIXYf9r9rQ4DYaXoxAFSPFlcWdxjB."},
	}
	for _, tt := range tests {
		if got := sha512Crypt(tt.password, tt.salt); got != tt.want {
			t.Errorf("sha512Crypt(%q, %q) = %s, want %s", tt.password, tt.salt, got, tt.want)
		}
	}
}
