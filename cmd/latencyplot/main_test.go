package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{2000, 2000}, {1700, 2000}, {2100, 5000}, {450, 500}, {0.3, 0.5}, {6000, 10000},
	} {
		if got := niceStep(c.in); got != c.want {
			t.Errorf("niceStep(%g) = %g, want %g", c.in, got, c.want)
		}
	}
}

func TestPlotDrawsEachPass(t *testing.T) {
	var s sweep
	data := `{"machine": "test <box>", "sockets": 10, "sweep": [
		{"pass": 1, "offered_per_second": 1000, "result": {"p50_ns": 1000000, "p99_ns": 2000000, "p999_ns": 3000000}},
		{"pass": 1, "offered_per_second": 12000, "result": {"p50_ns": 2000000, "p99_ns": 9000000, "p999_ns": 20000000}},
		{"pass": 2, "offered_per_second": 1000, "result": {"p50_ns": 1000000, "p99_ns": 3000000, "p999_ns": 4000000}},
		{"pass": 2, "offered_per_second": 12000, "result": {"p50_ns": 3000000, "p99_ns": 30000000, "p999_ns": 50000000}}]}`
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		t.Fatal(err)
	}
	svg := plot(s, 10)
	if n := strings.Count(svg, "<polyline"); n != 6 {
		t.Errorf("%d lines, want 6 (three percentiles, two passes)", n)
	}
	if n := strings.Count(svg, `stroke-dasharray="5 3"`); n != 3 {
		t.Errorf("%d dashed lines, want 3 (the second pass)", n)
	}
	if n := strings.Count(svg, "<circle"); n != 12 {
		t.Errorf("%d points, want 12", n)
	}
	// The rate axis ends at the highest rate, in steps of 2,000.
	if !strings.Contains(svg, ">12000</text>") || strings.Contains(svg, ">14000</text>") {
		t.Errorf("rate axis does not end at 12000")
	}
	if !strings.Contains(svg, "test &lt;box&gt;") {
		t.Errorf("machine description not escaped")
	}
	if !strings.Contains(svg, "target p99 10 ms") {
		t.Errorf("no target line")
	}
}
