package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is the process under test.
type server struct {
	url   string // http://127.0.0.1:port
	host  string // 127.0.0.1:port
	pid   int
	debug string    // the server's profiler address, if any
	cmd   *exec.Cmd // nil when the server was started by someone else
	done  chan error

	stopOnce sync.Once
	stopErr  error
}

// buildServer compiles the chat server from this module into dir.
func buildServer(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "chat-server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the server: %w", err)
	}
	return bin, nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run chatload inside the chat module (no go.mod found above the working directory)")
		}
		dir = parent
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startProcess runs args on a free loopback port (args get "{addr}"
// replaced) and waits until path answers. Its output goes to logPath. The
// process dies with chatload.
func startProcess(ctx context.Context, logPath, readyPath string, args ...string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	host := fmt.Sprintf("127.0.0.1:%d", port)
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "{addr}", host)
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s := &server{url: "http://" + host, host: host, pid: cmd.Process.Pid, cmd: cmd, done: make(chan error, 1)}
	go func() {
		s.done <- cmd.Wait()
		logFile.Close()
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.url + readyPath)
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("%s exited before answering (%v); see %s", args[0], err, logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s did not answer within a minute; see %s", args[0], logPath)
		}
	}
}

// startServer starts the chat server on dataDir with a synchronous mode,
// and its profiler on a second port.
func startServer(ctx context.Context, bin, dataDir, sync string) (*server, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	debug := fmt.Sprintf("127.0.0.1:%d", port)
	s, err := startProcess(ctx, filepath.Join(dataDir, "server.log"), "/login",
		bin, "-addr", "{addr}", "-data", dataDir, "-synchronous", sync, "-debug-addr", debug,
		// It signs thousands of people up from this one machine.
		"-signup-limit", "-1")
	if s != nil {
		s.debug = debug
	}
	return s, err
}

// profile saves a CPU profile of the server over d into path, and what it
// allocated over the same time into path.allocs.
func (s *server) profile(ctx context.Context, d time.Duration, path string) error {
	if s.debug == "" {
		return errors.New("no profiler: chatload did not start this server")
	}
	allocs := make(chan error, 1)
	go func() { allocs <- s.saveProfile(ctx, "allocs", d, path+".allocs") }()
	return errors.Join(s.saveProfile(ctx, "profile", d, path), <-allocs)
}

func (s *server) saveProfile(ctx context.Context, name string, d time.Duration, path string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/debug/pprof/%s?seconds=%d", s.debug, name, int(d.Seconds())), nil)
	resp, err := (&http.Client{Timeout: d + 30*time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, resp.Body)
	return errors.Join(err, f.Close())
}

// stop asks the process to shut down as an operator would (SIGTERM), and
// kills it if it has not within 30 seconds. Only the first call acts.
func (s *server) stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.terminate() })
	return s.stopErr
}

func (s *server) terminate() error {
	if s.cmd == nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("server exited with %v", err)
		}
		return nil
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		return errors.New("server did not stop within 30s of SIGTERM; killed")
	}
}

// rss is the resident memory of the process, in bytes.
func (s *server) rss() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// cpu is the processor time the process has used, user and system.
func (s *server) cpu() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.pid))
	if err != nil {
		return 0, err
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields of the whole line, in clock ticks (100 a second).
	line := string(data)
	fields := strings.Fields(line[strings.LastIndexByte(line, ')')+1:])
	if len(fields) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, err1 := strconv.ParseInt(fields[11], 10, 64)
	st, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

// settledRSS reads the resident memory once it stops moving.
func (s *server) settledRSS(ctx context.Context) (int64, error) {
	prev := int64(-1)
	for i := 0; i < 20; i++ {
		rss, err := s.rss()
		if err != nil {
			return 0, err
		}
		if prev >= 0 && abs(rss-prev) < 256<<10 {
			return rss, nil
		}
		prev = rss
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return prev, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// writerStats are the server's db writer counters (db.WriterStats).
type writerStats struct {
	Batches int64
	Jobs    int64
	Busy    time.Duration
	Commit  time.Duration
}

// writerStats reads the counters from the server's profiler page; zeros
// when there is none.
func (s *server) writerStats() writerStats {
	var out struct {
		DBWriter writerStats `json:"db_writer"`
	}
	if s.debug == "" {
		return writerStats{}
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + s.debug + "/debug/vars")
	if err != nil {
		return writerStats{}
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(&out)
	return out.DBWriter
}
