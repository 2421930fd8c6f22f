package static

import (
	"bytes"
	"encoding/binary"
	"math"
)

// NotifySound is notify.wav, the short sound a hidden tab plays when a
// message comes: two soft rising tones, made here rather than taken from
// anywhere. notify.wav is its output, kept so the file is served as it
// is; a test checks the two agree.
func NotifySound() []byte {
	const rate = 16000
	tones := []struct {
		hz      float64
		seconds float64
	}{{1318.5, 0.09}, {1760, 0.13}} // E6, then A6
	var samples []int16
	for _, tone := range tones {
		n := int(tone.seconds * rate)
		for i := range n {
			t := float64(i) / rate
			// A quick rise and a gentle fall, so nothing clicks.
			env := math.Min(1, t/0.005) * math.Exp(-t*18)
			samples = append(samples, int16(0.35*env*math.Sin(2*math.Pi*tone.hz*t)*math.MaxInt16))
		}
	}
	var b bytes.Buffer
	data := 2 * len(samples)
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v) // format: PCM, mono, 16 bits
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, samples)
	return b.Bytes()
}
