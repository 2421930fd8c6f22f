package media

import (
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

const (
	// fullPixels is the most pixels of the image shown in full: larger
	// ones are scaled down to it (4,000 × 4,000), as chat apps send "HD"
	// photos, which keeps the full view quick to load on a phone.
	fullPixels = 16_000_000
	// ThumbSide is the longest side of a thumbnail, in pixels: twice the
	// size it is shown at, for sharp screens.
	ThumbSide = 480
	// jpegQuality is what photos are written again with.
	jpegQuality = 85
)

// Image is an image as it is stored: written again, upright.
type Image struct {
	Type          string // JPEG or PNG, and its thumbnail's too
	Width, Height int
}

// Reencode reads an image of type typ (one IsImage accepts) of size bytes
// from src, and writes it again, without its metadata and turned upright,
// to full, and a thumbnail of it no larger than ThumbSide to thumb.
// Photos (and WebP images without transparency) are written as JPEG,
// everything else as PNG; a GIF gives its first frame. An image whose
// header claims more than MaxPixels is refused before it is decoded.
func Reencode(src io.ReaderAt, size int64, typ string, full, thumb io.Writer) (Image, error) {
	img, orientation, err := decode(src, size, typ)
	if err != nil {
		return Image{}, err
	}
	out := Image{Type: JPEG}
	if typ == PNG || typ == GIF || !opaque(img) {
		out.Type = PNG
	}
	b := img.Bounds()
	fw, fh := fitPixels(b.Dx(), b.Dy(), fullPixels)
	var shown image.Image = img
	if fw != b.Dx() || orientation != 1 {
		shown = upright(scale(img, fw, fh, draw.BiLinear), orientation)
	}
	tw, th := fitSide(b.Dx(), b.Dy(), ThumbSide)
	small := upright(scale(img, tw, th, draw.BiLinear), orientation)

	if err := encode(full, shown, out.Type); err != nil {
		return Image{}, err
	}
	if err := encode(thumb, small, out.Type); err != nil {
		return Image{}, err
	}
	out.Width, out.Height = shown.Bounds().Dx(), shown.Bounds().Dy()
	return out, nil
}

// decode reads an image of type typ (one IsImage accepts), refusing one
// whose header claims more than MaxPixels before decoding it, and returns
// its EXIF orientation (1 when it has none).
func decode(src io.ReaderAt, size int64, typ string) (image.Image, int, error) {
	var decodeConfig func(io.Reader) (image.Config, error)
	var decodeImage func(io.Reader) (image.Image, error)
	switch typ {
	case JPEG:
		decodeConfig, decodeImage = jpeg.DecodeConfig, jpeg.Decode
	case PNG:
		decodeConfig, decodeImage = png.DecodeConfig, png.Decode
	case GIF:
		decodeConfig, decodeImage = gif.DecodeConfig, gif.Decode // the first frame
	case WebP:
		decodeConfig, decodeImage = webp.DecodeConfig, webp.Decode
	default:
		return nil, 0, ErrNotImage
	}
	cfg, err := decodeConfig(reader(src, size))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, ErrNotImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, 0, &TooLargeError{cfg.Width, cfg.Height}
	}
	img, err := decodeImage(reader(src, size))
	if err != nil {
		return nil, 0, ErrNotImage
	}
	orientation := 1
	if typ == JPEG {
		orientation = jpegOrientation(reader(src, size))
	}
	return img, orientation, nil
}

func encode(w io.Writer, img image.Image, typ string) error {
	if typ == JPEG {
		return jpeg.Encode(w, img, &jpeg.Options{Quality: jpegQuality})
	}
	return png.Encode(w, img)
}

// opaque reports whether img has no transparent pixel, as far as its type
// can tell without looking at every pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// fitPixels is w × h scaled down, keeping its shape, to at most max
// pixels; unchanged if it fits.
func fitPixels(w, h, max int) (int, int) {
	if int64(w)*int64(h) <= int64(max) {
		return w, h
	}
	f := math.Sqrt(float64(max) / (float64(w) * float64(h)))
	return atLeast1(float64(w) * f), atLeast1(float64(h) * f)
}

// fitSide is w × h scaled down, keeping its shape, so that neither side
// is longer than side; unchanged if it fits.
func fitSide(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	f := float64(side) / float64(max(w, h))
	return atLeast1(float64(w) * f), atLeast1(float64(h) * f)
}

func atLeast1(v float64) int { return max(1, int(math.Floor(v))) }

// scale draws img into a new w × h image.
func scale(img image.Image, w, h int, with draw.Interpolator) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	with.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// upright turns an image taken with the camera at an angle the way its
// EXIF orientation says (1, as stored, to 8), since writing it again
// drops that tag.
func upright(src *image.RGBA, orientation int) *image.RGBA {
	if orientation < 2 || orientation > 8 {
		return src
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	swap := orientation >= 5 // 5 to 8 turn it a quarter
	dw, dh := w, h
	if swap {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch orientation {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // upside down, mirrored
				dx, dy = x, h-1-y
			case 5: // a quarter left, mirrored
				dx, dy = y, x
			case 6: // a quarter left: turn it right
				dx, dy = h-1-y, x
			case 7: // a quarter right, mirrored
				dx, dy = h-1-y, w-1-x
			case 8: // a quarter right: turn it left
				dx, dy = y, w-1-x
			}
			si := src.PixOffset(x, y)
			di := dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// jpegOrientation reads the EXIF orientation of a JPEG (1 when it has
// none): the segments before the image data, looking for APP1 "Exif".
func jpegOrientation(r io.Reader) int {
	var buf [4]byte
	if _, err := io.ReadFull(r, buf[:2]); err != nil || buf[0] != 0xFF || buf[1] != 0xD8 {
		return 1
	}
	for {
		if _, err := io.ReadFull(r, buf[:4]); err != nil || buf[0] != 0xFF {
			return 1
		}
		marker := buf[1]
		n := int(buf[2])<<8 | int(buf[3]) - 2
		if marker == 0xDA || n < 0 { // image data: no more metadata
			return 1
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(r, seg); err != nil {
			return 1
		}
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			o, err := exifOrientation(seg[6:])
			if err != nil {
				return 1
			}
			return o
		}
	}
}

var errNoOrientation = errors.New("media: no orientation")

// exifOrientation finds tag 0x0112 in the first directory of a TIFF
// structure.
func exifOrientation(t []byte) (int, error) {
	if len(t) < 8 {
		return 0, errNoOrientation
	}
	var u16 func([]byte) int
	var u32 func([]byte) int
	switch string(t[:2]) {
	case "II":
		u16 = func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
		u32 = func(b []byte) int { return u16(b) | u16(b[2:])<<16 }
	case "MM":
		u16 = func(b []byte) int { return int(b[0])<<8 | int(b[1]) }
		u32 = func(b []byte) int { return u16(b)<<16 | u16(b[2:]) }
	default:
		return 0, errNoOrientation
	}
	ifd := u32(t[4:])
	if ifd < 8 || ifd+2 > len(t) {
		return 0, errNoOrientation
	}
	entries := u16(t[ifd:])
	for i := 0; i < entries; i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			break
		}
		if u16(t[e:]) == 0x0112 {
			if o := u16(t[e+8:]); o >= 1 && o <= 8 {
				return o, nil
			}
			break
		}
	}
	return 0, errNoOrientation
}
