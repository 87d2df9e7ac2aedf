// Package fakedevice is a fake network device for tests: the program an
// OpenSSH sshd runs (ForceCommand) for a listening port, answering show
// commands from canned outputs the way a switch, router, firewall or host
// would, with injectable faults.
//
// A device is a directory holding device.yaml (see [Spec]) and the output
// files it names. With an exec request ($SSH_ORIGINAL_COMMAND set) the
// device answers that one command; without one it runs an interactive CLI:
// banner, prompt, one answer per line, a " --More-- " pager until the
// platform's paging-off command, and exit, quit or logout to leave. Unknown
// commands get the platform's error (IOS-style "% Invalid input detected at
// '^' marker.", Junos "unknown command." / "syntax error", a shell's
// "sh: CMD: not found" with status 127). Every received command is appended
// to received.log in the device directory.
//
// The logic is [Run], which takes its input, outputs and environment as a
// [Session] so that it can be tested without sshd; cmd/fakedevice is the
// program.
package fakedevice
