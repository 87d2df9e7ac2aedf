package sshlab

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// children maps each process to its children, from /proc.
func children() map[int][]int {
	out := map[int][]int{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f := statFields(pid)
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			out[ppid] = append(out[ppid], pid)
		}
	}
	return out
}

// descendants returns every process below root.
func descendants(root int) []int {
	kids := children()
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range kids[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// commOf returns the command name of pid, or "".
func commOf(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// killTree kills root and every process below it with SIGKILL and waits
// (up to timeout) until the processes below it are gone. sshd's
// per-connection processes start their own sessions, so a process group
// kill would miss them: the tree is frozen with SIGSTOP first (no new
// forks), walked through /proc, then killed. Reaping root is left to its
// parent.
func killTree(root int, timeout time.Duration) {
	_ = syscall.Kill(root, syscall.SIGSTOP)
	stopped := map[int]string{} // pid → start time
	for {
		more := false
		for _, p := range descendants(root) {
			if _, ok := stopped[p]; !ok {
				stopped[p] = startTime(p)
				more = true
				_ = syscall.Kill(p, syscall.SIGSTOP)
			}
		}
		if !more {
			break
		}
	}
	_ = syscall.Kill(root, syscall.SIGKILL)
	for p := range stopped {
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
	deadline := time.Now().Add(timeout)
	for p, start := range stopped {
		for running(p, start) && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// statFields returns the fields of /proc/PID/stat after the command name
// (state, ppid, ...; the start time is at index 19).
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// startTime returns the start time of pid in clock ticks since boot, as a
// string, or "".
func startTime(pid int) string {
	if f := statFields(pid); len(f) >= 20 {
		return f[19]
	}
	return ""
}

// running reports whether the process pid that started at start still runs
// (a zombie does not).
func running(pid int, start string) bool {
	f := statFields(pid)
	return len(f) >= 20 && f[19] == start && f[0] != "Z" && f[0] != "X"
}
