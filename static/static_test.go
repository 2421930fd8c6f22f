package static

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The note in vendor/README.md must name every vendored file with the
// sha384 it really has, and each must come with its licence.
func TestVendorNoteMatchesFiles(t *testing.T) {
	note, err := os.ReadFile("vendor/README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| (\S+\.js) \| (\S+) \| (\S+) \| .* \| (sha384-\S+) \|$`)
	rows := row.FindAllStringSubmatch(string(note), -1)
	if len(rows) != 2 {
		t.Fatalf("note lists %d files, want htmx and its ws extension", len(rows))
	}
	for _, r := range rows {
		f, ok := Lookup("vendor/" + r[1])
		if !ok {
			t.Errorf("%s is in the note but not embedded", r[1])
			continue
		}
		sum := sha512.Sum384(f.Data)
		if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != r[4] {
			t.Errorf("%s: sha384 is %s, note says %s", r[1], got, r[4])
		}
		if !strings.Contains(r[1], r[3]) {
			t.Errorf("%s: file name does not carry version %s", r[1], r[3])
		}
	}
	for _, lic := range []string{"vendor/htmx-LICENSE", "vendor/htmx-ext-ws-LICENSE"} {
		if _, err := os.Stat(lic); err != nil {
			t.Error(err)
		}
	}
}

func TestURLsChangeWithContent(t *testing.T) {
	f, ok := Lookup("app.js")
	if !ok {
		t.Fatal("app.js not embedded")
	}
	if URL("app.js") != Prefix+f.Hash+"/app.js" {
		t.Errorf("URL = %s", URL("app.js"))
	}
	if len(f.Hash) != 12 {
		t.Errorf("hash %q is not 12 hex digits", f.Hash)
	}
}

// notify.wav is what notifySound makes: the sound is ours, and can be
// made again.
func TestNotifySoundIsMadeHere(t *testing.T) {
	if os.Getenv("CHAT_WRITE_SOUND") == "1" {
		if err := os.WriteFile("notify.wav", notifySound(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Skip("notify.wav written again: run the tests once more to embed it")
	}
	f, ok := Lookup("notify.wav")
	if !ok {
		t.Fatal("notify.wav not embedded")
	}
	if !bytes.Equal(f.Data, notifySound()) {
		t.Error("notify.wav differs from what notifySound makes: run the tests with CHAT_WRITE_SOUND=1")
	}
	if f.Type != "audio/wav" || !bytes.HasPrefix(f.Data, []byte("RIFF")) || len(f.Data) > 16<<10 {
		t.Errorf("notify.wav: %s, %d bytes", f.Type, len(f.Data))
	}
}

// notifySound makes notify.wav, the short sound a hidden tab plays when a
// message comes: two soft rising tones, made here rather than taken from
// anywhere. The site serves the file; the test below shows it is this
// function's output. To change the sound, change this and run the tests
// with CHAT_WRITE_SOUND=1, which writes the file again.
func notifySound() []byte {
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
