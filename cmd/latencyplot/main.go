// Command latencyplot draws send-to-arrival latency against offered rate
// from the JSON of a chatload sweep, as an SVG.
//
//	go run ./cmd/chatload -mode sweep -json sweep.json
//	go run ./cmd/latencyplot -in sweep.json -out docs/latency.svg
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"strings"
)

// sweep is the part of chatload's JSON this program reads.
type sweep struct {
	Machine string `json:"machine"`
	Sockets int    `json:"sockets"`
	Sweep   []struct {
		Pass    int     `json:"pass"`
		Offered float64 `json:"offered_per_second"`
		Result  struct {
			PerSecond float64 `json:"per_second"`
			P50       int64   `json:"p50_ns"`
			P99       int64   `json:"p99_ns"`
			P999      int64   `json:"p999_ns"`
		} `json:"result"`
	} `json:"sweep"`
}

// Plot area in SVG units, and the latency range on its log scale.
const (
	width, height          = 760.0, 440.0
	left, right, top, bott = 70.0, 150.0, 40.0, 60.0
	minMS, maxMS           = 0.1, 1000.0
)

func main() {
	in := flag.String("in", "sweep.json", "chatload -mode sweep -json output")
	out := flag.String("out", "docs/latency.svg", "SVG to write")
	target := flag.Float64("target", 10, "latency target to mark, in ms")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var s sweep
	if err := json.Unmarshal(data, &s); err != nil {
		log.Fatal(err)
	}
	if len(s.Sweep) == 0 {
		log.Fatalf("%s has no sweep points", *in)
	}
	if err := os.WriteFile(*out, []byte(plot(s, *target)), 0o644); err != nil {
		log.Fatal(err)
	}
}

func plot(s sweep, target float64) string {
	maxRate := 0.0
	for _, p := range s.Sweep {
		maxRate = math.Max(maxRate, p.Offered)
	}
	step := niceStep(maxRate / 6)
	maxRate = math.Ceil(maxRate/step) * step
	x := func(rate float64) float64 { return left + rate/maxRate*(width-left-right) }
	y := func(ms float64) float64 {
		ms = math.Min(math.Max(ms, minMS), maxMS)
		f := (math.Log10(ms) - math.Log10(minMS)) / (math.Log10(maxMS) - math.Log10(minMS))
		return height - bott - f*(height-top-bott)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="%.0f" height="%.0f" fill="#fff"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="14" font-weight="bold">Send-to-arrival latency against offered load (%d sockets open)</text>`+"\n", left, s.Sockets)
	for ms := minMS; ms <= maxMS; ms *= 10 {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, width-right, y(ms), y(ms))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%g ms</text>`+"\n", left-6, y(ms)+4, ms)
	}
	for rate := 0.0; rate <= maxRate; rate += step {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x(rate), x(rate), top, height-bott)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f</text>`+"\n", x(rate), height-bott+18, rate)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">offered messages per second</text>`+"\n", (left+width-right)/2, height-16)
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#d93025" stroke-dasharray="6 4"/>`+"\n", left, width-right, y(target), y(target))
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#d93025">target p99 %g ms</text>`+"\n", width-right+6, y(target)+4, target)
	series := []struct {
		name  string
		color string
		get   func(int) int64
	}{
		{"p50", "#1a73e8", func(i int) int64 { return s.Sweep[i].Result.P50 }},
		{"p99", "#07a35a", func(i int) int64 { return s.Sweep[i].Result.P99 }},
		{"p99.9", "#e07b00", func(i int) int64 { return s.Sweep[i].Result.P999 }},
	}
	// One line per pass over the rates: the first solid, later ones dashed,
	// so the spread between passes is in the picture.
	passes := map[int][]int{} // pass -> indexes into s.Sweep, in order
	var order []int
	for i, p := range s.Sweep {
		if _, ok := passes[p.Pass]; !ok {
			order = append(order, p.Pass)
		}
		passes[p.Pass] = append(passes[p.Pass], i)
	}
	for k, se := range series {
		for n, pass := range order {
			var pts []string
			for _, i := range passes[pass] {
				rate, ms := s.Sweep[i].Offered, float64(se.get(i))/1e6
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(rate), y(ms)))
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", x(rate), y(ms), se.color)
			}
			dash := ""
			if n > 0 {
				dash = ` stroke-dasharray="5 3"`
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), se.color, dash)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n", width-right+6, top+16+float64(k)*16, se.color, se.name)
	}
	if len(order) > 1 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#666" font-size="11">solid: pass 1</text>`+"\n", width-right+6, height-bott-20)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#666" font-size="11">dashed: later passes</text>`+"\n", width-right+6, height-bott-6)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#666" font-size="10">%s</text>`+"\n", left, height-2, escape(s.Machine))
	b.WriteString("</svg>\n")
	return b.String()
}

// niceStep rounds up to 1, 2 or 5 times a power of ten.
func niceStep(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
