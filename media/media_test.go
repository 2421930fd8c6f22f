package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"runtime"
	"testing"
)

// halves is a w × h image, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// withExif is a JPEG of img carrying an EXIF segment: orientation o, and
// a GPS position.
func withExif(t *testing.T, img image.Image, o uint16) []byte {
	t.Helper()
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, nil); err != nil {
		t.Fatal(err)
	}
	// TIFF, little-endian: one directory of two entries, orientation and
	// a pointer to GPS data (whose bytes follow as a marker).
	var tiff bytes.Buffer
	tiff.WriteString("II*\x00")
	binary.Write(&tiff, binary.LittleEndian, uint32(8))
	binary.Write(&tiff, binary.LittleEndian, uint16(2))
	binary.Write(&tiff, binary.LittleEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.LittleEndian, uint32(1))
	binary.Write(&tiff, binary.LittleEndian, []uint16{o, 0})
	binary.Write(&tiff, binary.LittleEndian, []uint16{0x8825, 4})
	binary.Write(&tiff, binary.LittleEndian, uint32(1))
	binary.Write(&tiff, binary.LittleEndian, uint32(38))
	binary.Write(&tiff, binary.LittleEndian, uint32(0))
	tiff.WriteString("GPS 39.9042N 116.4074E")
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out = append(out, seg...)
	return append(out, plain.Bytes()[2:]...)
}

func reencode(t *testing.T, data []byte, typ string) (Image, []byte, []byte) {
	t.Helper()
	var full, thumb bytes.Buffer
	img, err := Reencode(bytes.NewReader(data), int64(len(data)), typ, &full, &thumb)
	if err != nil {
		t.Fatalf("Reencode: %v", err)
	}
	return img, full.Bytes(), thumb.Bytes()
}

func decodeOut(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xC000 && g < 0x4000 && b < 0x4000
}

func TestPhotosLoseTheirMetadataAndStandUpright(t *testing.T) {
	data := withExif(t, halves(80, 40), 6) // taken turned a quarter left
	if !bytes.Contains(data, []byte("GPS 39.9042N")) || Sniff(data) != JPEG {
		t.Fatal("the test photo is not what it should be")
	}
	got, full, thumb := reencode(t, data, JPEG)
	if got.Type != JPEG || got.Width != 40 || got.Height != 80 {
		t.Errorf("stored as %+v, want a 40 × 80 JPEG", got)
	}
	for _, out := range [][]byte{full, thumb} {
		if bytes.Contains(out, []byte("Exif")) || bytes.Contains(out, []byte("GPS")) {
			t.Error("the metadata is still there")
		}
		img := decodeOut(t, out)
		b := img.Bounds()
		if b.Dx() != 40 || b.Dy() != 80 {
			t.Errorf("written %v", b)
		}
		// Turned right: the left half (red) is now on top.
		if !isRed(img.At(b.Dx()/2, b.Dy()/4)) || isRed(img.At(b.Dx()/2, 3*b.Dy()/4)) {
			t.Error("the photo was not turned upright")
		}
	}
}

func TestEachImageTypeMakesAThumbnail(t *testing.T) {
	big := halves(1200, 600)
	var pngData, gifData bytes.Buffer
	if err := png.Encode(&pngData, big); err != nil {
		t.Fatal(err)
	}
	anim := &gif.GIF{}
	for _, c := range []color.Color{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}} {
		frame := image.NewPaletted(image.Rect(0, 0, 100, 50), color.Palette{c, color.Black})
		anim.Image = append(anim.Image, frame)
		anim.Delay = append(anim.Delay, 10)
	}
	if err := gif.EncodeAll(&gifData, anim); err != nil {
		t.Fatal(err)
	}
	opaqueWebP, err := os.ReadFile("testdata/opaque.webp")
	if err != nil {
		t.Fatal(err)
	}
	clearWebP, err := os.ReadFile("testdata/transparent.webp")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		data        []byte
		typ         string
		stored      string
		w, h        int
		thumbW      int
		firstIsRed  bool
		transparent bool
	}{
		{"png", pngData.Bytes(), PNG, PNG, 1200, 600, ThumbSide, true, false},
		{"gif, first frame", gifData.Bytes(), GIF, PNG, 100, 50, 100, true, false},
		{"webp", opaqueWebP, WebP, JPEG, 64, 32, 64, true, false},
		{"webp with transparency", clearWebP, WebP, PNG, 64, 32, 64, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if Sniff(c.data) != c.typ || !IsImage(c.typ) {
				t.Fatalf("sniffed as %s", Sniff(c.data))
			}
			got, full, thumb := reencode(t, c.data, c.typ)
			if got.Type != c.stored || got.Width != c.w || got.Height != c.h {
				t.Errorf("stored as %+v", got)
			}
			small := decodeOut(t, thumb)
			if small.Bounds().Dx() != c.thumbW || small.Bounds().Dy() != c.thumbW*c.h/c.w {
				t.Errorf("thumbnail %v", small.Bounds())
			}
			img := decodeOut(t, full)
			if isRed(img.At(1, 1)) != c.firstIsRed {
				t.Errorf("top left is %v", img.At(1, 1))
			}
			if _, _, _, a := img.At(c.w-1, 1).RGBA(); (a == 0) != c.transparent {
				t.Errorf("alpha at the right %d", a)
			}
		})
	}
}

func TestLargePhotosAreScaledForTheFullView(t *testing.T) {
	var data bytes.Buffer
	if err := jpeg.Encode(&data, halves(4400, 4000), nil); err != nil {
		t.Fatal(err)
	}
	got, full, _ := reencode(t, data.Bytes(), JPEG)
	if d := got.Width*10 - got.Height*11; got.Width*got.Height > fullPixels || got.Width < 4150 || d < -11 || d > 11 {
		t.Errorf("a 4400 × 4000 photo is shown as %d × %d", got.Width, got.Height)
	}
	if b := decodeOut(t, full).Bounds(); b.Dx() != got.Width || b.Dy() != got.Height {
		t.Errorf("written %v, said %d × %d", b, got.Width, got.Height)
	}
}

// bomb is a PNG whose header claims w × h pixels, with no pixels at all.
func bomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestABombIsRefusedFromItsHeader(t *testing.T) {
	data := bomb(100_000, 100_000)
	if Sniff(data) != PNG {
		t.Fatalf("sniffed as %s", Sniff(data))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Reencode(bytes.NewReader(data), int64(len(data)), PNG, &bytes.Buffer{}, &bytes.Buffer{})
	runtime.ReadMemStats(&after)
	var tooLarge *TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Width != 100_000 || tooLarge.Height != 100_000 {
		t.Fatalf("a 100,000 × 100,000 PNG: %v", err)
	}
	if used := after.TotalAlloc - before.TotalAlloc; used > 1<<20 {
		t.Errorf("refusing it allocated %d bytes", used)
	}
}

func TestWhatIsNotAnImageIsNotTakenForOne(t *testing.T) {
	text := []byte("just some text, named holiday.jpg")
	if Sniff(text) == JPEG || IsImage(Sniff(text)) {
		t.Errorf("text sniffed as %s", Sniff(text))
	}
	if _, err := Reencode(bytes.NewReader(text), int64(len(text)), JPEG, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, ErrNotImage) {
		t.Errorf("text decoded as a JPEG: %v", err)
	}
	// A JPEG cut off after its header.
	var whole bytes.Buffer
	jpeg.Encode(&whole, halves(64, 64), nil)
	cut := whole.Bytes()[:whole.Len()/3]
	if _, err := Reencode(bytes.NewReader(cut), int64(len(cut)), JPEG, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, ErrNotImage) {
		t.Errorf("a cut JPEG: %v", err)
	}
	for _, c := range []struct {
		name, declared string
		claims         bool
	}{
		{"holiday.JPG", "", true},
		{"scan.webp", "application/octet-stream", true},
		{"noext", "image/png", true},
		{"report.pdf", "application/pdf", false},
		{"photo.heic", "image/heic", false},
	} {
		if ClaimsImage(c.name, c.declared) != c.claims {
			t.Errorf("ClaimsImage(%q, %q) = %v", c.name, c.declared, !c.claims)
		}
	}
	for sniffed, want := range map[string]string{
		"application/pdf":          "application/pdf",
		"text/html; charset=utf-8": "application/octet-stream",
		"text/xml; charset=utf-8":  "application/octet-stream",
		"application/octet-stream": "application/octet-stream",
	} {
		if got := ServedType(sniffed); got != want {
			t.Errorf("ServedType(%s) = %s", sniffed, got)
		}
	}
}

// BenchmarkReencodePhoto is the work of one 12-megapixel photo sent.
func BenchmarkReencodePhoto(b *testing.B) {
	var data bytes.Buffer
	if err := jpeg.Encode(&data, halves(4000, 3000), nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(data.Len()))
	for b.Loop() {
		var full, thumb bytes.Buffer
		if _, err := Reencode(bytes.NewReader(data.Bytes()), int64(data.Len()), JPEG, &full, &thumb); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAvatarsAreTheMiddleSquareInTwoSizes(t *testing.T) {
	// Wide: blue, red in the middle third, blue.
	img := image.NewRGBA(image.Rect(0, 0, 900, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 900; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x >= 300 && x < 600 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var src bytes.Buffer
	png.Encode(&src, img)
	var large, small bytes.Buffer
	if err := Avatar(bytes.NewReader(src.Bytes()), int64(src.Len()), PNG, &large, &small); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		data []byte
		side int
	}{{large.Bytes(), AvatarSide}, {small.Bytes(), AvatarSmallSide}} {
		out := decodeOut(t, c.data)
		if b := out.Bounds(); b.Dx() != c.side || b.Dy() != c.side {
			t.Errorf("size %v, want %d square", b, c.side)
		}
		if !isRed(out.At(2, 2)) || !isRed(out.At(c.side-3, c.side-3)) {
			t.Error("not the middle square")
		}
	}
	if _, err := jpeg.DecodeConfig(bytes.NewReader(small.Bytes())); err != nil {
		t.Errorf("not a JPEG: %v", err)
	}
	bomb := bomb(100_000, 100_000)
	if err := Avatar(bytes.NewReader(bomb), int64(len(bomb)), PNG, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("a bomb made an avatar")
	}
}
