package media

import (
	"image"
	"image/color"
	"io"

	"golang.org/x/image/draw"
)

// Profile pictures are square, made once in the sizes pages show them
// at, twice over for sharp screens.
const (
	AvatarSide      = 256 // the picture in Settings
	AvatarSmallSide = 96  // lists and headings
)

// Avatar reads an image of type typ (one IsImage accepts) of size bytes
// from src and writes it as a profile picture: turned upright, the
// middle square of it, without its metadata, as JPEG (transparency on
// white), AvatarSide to large and AvatarSmallSide to small.
func Avatar(src io.ReaderAt, size int64, typ string, large, small io.Writer) error {
	img, orientation, err := decode(src, size, typ)
	if err != nil {
		return err
	}
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	square := image.Rect(0, 0, side, side).Add(b.Min).Add(image.Pt((b.Dx()-side)/2, (b.Dy()-side)/2))
	for _, out := range []struct {
		w    io.Writer
		side int
	}{{large, AvatarSide}, {small, AvatarSmallSide}} {
		n := min(out.side, side)
		dst := image.NewRGBA(image.Rect(0, 0, n, n))
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, square, draw.Over, nil)
		if err := encode(out.w, upright(dst, orientation), JPEG); err != nil {
			return err
		}
	}
	return nil
}
