package netmodel

import "testing"

func TestNormAlgorithms(t *testing.T) {
	for _, tc := range []struct {
		f        func(string) string
		in, want string
	}{
		{NormEncryption, "aes-256-cbc", "aes256"},
		{NormEncryption, "AES_CBC_256", "aes256"},
		{NormEncryption, "AES_CBC-128", "aes128"},
		{NormEncryption, "esp-aes 256", "aes256"},
		{NormEncryption, "esp-aes", "aes128"},
		{NormEncryption, "aes-gcm-256", "aes256gcm16"},
		{NormEncryption, "AES_GCM_16_256", "aes256gcm16"},
		{NormEncryption, "aes256gcm16", "aes256gcm16"},
		{NormEncryption, "aes-128-gcm", "aes128gcm16"},
		{NormEncryption, "aes-gcm-128", "aes128gcm16"},
		{NormEncryption, "AES_GCM_16_128", "aes128gcm16"},
		{NormEncryption, "aes128gcm16", "aes128gcm16"},
		{NormEncryption, "aes128gcm12", "aes128gcm12"},
		{NormEncryption, "AES_GCM_12_256", "aes256gcm12"},
		{NormEncryption, "3des-cbc", "3des"},
		{NormEncryption, "esp-3des", "3des"},
		{NormEncryption, "DES", "des"},
		{NormIntegrity, "hmac-sha1-96", "sha1"},
		{NormIntegrity, "HMAC_SHA1_96", "sha1"},
		{NormIntegrity, "esp-sha-hmac", "sha1"},
		{NormIntegrity, "esp-md5-hmac", "md5"},
		{NormIntegrity, "HMAC_SHA2_256_128", "sha256"},
		{NormIntegrity, "sha-256", "sha256"},
		{NormIntegrity, "hmac-sha-256-128", "sha256"},
		{NormIntegrity, "esp-sha256-hmac", "sha256"},
		{NormIntegrity, "none", "none"},
		{NormPRF, "PRF_HMAC_SHA2_256", "prfsha256"},
		{NormDH, "group2", "modp1024"},
		{NormDH, "group 14", "modp2048"},
		{NormDH, "MODP_2048", "modp2048"},
		{NormDH, "ECP_384", "ecp384"},
		{NormDH, "19", "ecp256"},
		{NormDH, "no-pfs", ""},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}
