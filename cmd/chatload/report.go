package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// report is every figure of a run. Empty parts were not measured.
type report struct {
	Machine string `json:"machine"`
	// SpeedBefore and SpeedAfter are cpuSpeed at the start and the end.
	SpeedBefore time.Duration `json:"render_ns_before"`
	SpeedAfter  time.Duration `json:"render_ns_after"`
	SQLite      []sqliteRates `json:"sqlite,omitempty"`

	Sockets int `json:"sockets,omitempty"`
	// ReadReceipts is the chatting people's setting, "on" or "off";
	// Typing, whether each sends a typing frame before every message.
	ReadReceipts string       `json:"read_receipts,omitempty"`
	Typing       bool         `json:"typing_frames"`
	Full         *throughput  `json:"closed_loop_full,omitempty"`
	Normal       *throughput  `json:"closed_loop_normal,omitempty"`
	FullRuns     []float64    `json:"closed_loop_full_runs,omitempty"`
	NormalRuns   []float64    `json:"closed_loop_normal_runs,omitempty"`
	FullOverNor  float64      `json:"full_over_normal,omitempty"`
	Latency      *throughput  `json:"open_loop,omitempty"`
	Rate         float64      `json:"open_loop_rate,omitempty"`
	Sweep        []sweepPoint `json:"sweep,omitempty"`

	Page *pageTiming `json:"chat_page,omitempty"`

	Idle      *idleResult `json:"idle,omitempty"`
	Bare      *idleResult `json:"idle_bare_pump,omitempty"`
	IdleRatio float64     `json:"idle_over_bare,omitempty"`

	Smoke *smokeResult `json:"smoke,omitempty"`
	Crash *crashResult `json:"crash,omitempty"`
}

type sweepPoint struct {
	Pass    int        `json:"pass"`
	Offered float64    `json:"offered_per_second"`
	Result  throughput `json:"result"`
}

type smokeResult struct {
	Sent       int64 `json:"sent"`
	Missing    int64 `json:"missing"`
	Duplicates int64 `json:"duplicates"`
}

func runs(xs []float64) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, fmt.Sprintf("%.0f", x))
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

func (r *report) print(out io.Writer) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "machine\t%s\n", r.Machine)
	fmt.Fprintf(w, "  its speed: one message fragment rendered in, at start / end\t%.2f / %.2f µs\n",
		float64(r.SpeedBefore)/1e3, float64(r.SpeedAfter)/1e3)
	if r.Sockets > 0 {
		fmt.Fprintf(w, "sockets open\t%d\n", r.Sockets)
		fmt.Fprintf(w, "  read receipts; a typing frame before each message\t%s; %s\n", r.ReadReceipts, yesNo(r.Typing))
	}
	if t := r.Full; t != nil {
		fmt.Fprintf(w, "durable msg/s, closed loop (synchronous=FULL)\t%.0f\n", t.PerSecond)
		fmt.Fprintf(w, "  latency p50 / p99 / p999 at that load\t%s / %s / %s ms\n", ms(t.P50), ms(t.P99), ms(t.P999))
		fmt.Fprintf(w, "  server CPU per 1,000 messages\t%.3f s\n", t.CPUPer1k)
		writer(w, t)
	}
	if t := r.Normal; t != nil {
		fmt.Fprintf(w, "msg/s, closed loop (synchronous=NORMAL)\t%.0f\n", t.PerSecond)
		writer(w, t)
	}
	if len(r.NormalRuns) > 0 {
		fmt.Fprintf(w, "closed-loop runs, taking turns: FULL / NORMAL msg/s\t%s / %s\n", runs(r.FullRuns), runs(r.NormalRuns))
		fmt.Fprintf(w, "  FULL / NORMAL (ratio of the means)\t%.2f\n", r.FullOverNor)
	}
	if t := r.Latency; t != nil {
		fmt.Fprintf(w, "open loop at %.0f msg/s: delivered\t%.0f msg/s\n", r.Rate, t.PerSecond)
		fmt.Fprintf(w, "  latency p50 / p99 / p999\t%s / %s / %s ms\n", ms(t.P50), ms(t.P99), ms(t.P999))
		fmt.Fprintf(w, "  server CPU per 1,000 messages\t%.3f s\n", t.CPUPer1k)
		writer(w, t)
	}
	for _, p := range r.Sweep {
		fmt.Fprintf(w, "pass %d, offered %.0f msg/s: delivered %.0f, p50 / p99 / p999\t%s / %s / %s ms\n",
			p.Pass, p.Offered, p.Result.PerSecond, ms(p.Result.P50), ms(p.Result.P99), ms(p.Result.P999))
	}
	if p := r.Page; p != nil {
		fmt.Fprintf(w, "chat page (%d messages), server time p50 / p99\t%s / %s ms (%d requests)\n", p.Messages, ms(p.P50), ms(p.P99), p.Requests)
	}
	if i := r.Idle; i != nil {
		fmt.Fprintf(w, "idle sockets held\t%d\n", i.Sockets)
		fmt.Fprintf(w, "  server RSS per idle socket\t%.1f KiB (%s -> %s)\n", i.PerSocketKiB, kib(i.RSSBefore), kib(i.RSSAfter))
	}
	if b := r.Bare; b != nil {
		fmt.Fprintf(w, "  bare gorilla pump RSS per idle socket\t%.1f KiB\n", b.PerSocketKiB)
		fmt.Fprintf(w, "  chat server / bare pump\t%.2f\n", r.IdleRatio)
	}
	for _, s := range r.SQLite {
		fmt.Fprintf(w, "SQLite alone, synchronous=%s: single-row inserts/s\t%.0f\n", s.Synchronous, s.SingleRow)
		fmt.Fprintf(w, "  batched inserts/s (%d per transaction)\t%.0f\n", s.BatchSize, s.Batched)
	}
	if r.Full != nil && len(r.SQLite) > 0 && r.SQLite[0].SingleRow > 0 {
		fmt.Fprintf(w, "end-to-end FULL msg/s / SQLite single-row FULL inserts/s\t%.2f\n", r.Full.PerSecond/r.SQLite[0].SingleRow)
	}
	if s := r.Smoke; s != nil {
		fmt.Fprintf(w, "smoke: sent / missing / duplicated\t%d / %d / %d\n", s.Sent, s.Missing, s.Duplicates)
	}
	w.Flush()
	if r.Crash != nil {
		r.Crash.print(out)
	}
}

// writer prints how the server's writer spent the window, and what the
// generator itself cost.
func writer(w io.Writer, t *throughput) {
	if t.LoadCPUPer1k > 0 {
		fmt.Fprintf(w, "  load generator CPU per 1,000 messages\t%.3f s\n", t.LoadCPUPer1k)
	}
	if t.WritesPerCommit > 0 {
		fmt.Fprintf(w, "  writes per commit; writer busy / committing\t%.0f; %.0f%% / %.0f%% of the time\n",
			t.WritesPerCommit, 100*t.WriterBusy, 100*t.CommitShare)
	}
}

func (r *report) writeJSON(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
