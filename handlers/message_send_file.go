package handlers

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"chat/db"
	"chat/files"
	"chat/lang"
	"chat/live"
	"chat/media"
	"chat/text"
	"chat/views"
)

// A message with a file: POST /chats/{peer}/messages, a multipart form of
// the composer's fields (message, reply_to), the page's client_id, and
// the file. The file is streamed to disk as it arrives (never held in
// memory), checked from its bytes, images written again; then it is held
// and put in place, and the message that names it stored. The answer
// clears the line next to the composer, or says there why the file was
// not sent; the message itself reaches the page, like any message, live.

const (
	// maxUploadBody bounds an upload's body: the file and the few small
	// fields around it.
	maxUploadBody = media.MaxSize + 64<<10
	// maxUploadField bounds each field but the file.
	maxUploadField = 32 << 10
	// uploadTime is how long an upload may take to arrive: 20 MB at one
	// megabit a second takes under three minutes.
	uploadTime = 5 * time.Minute
	// uploadsAtOnce is how many uploads one person may have under way.
	uploadsAtOnce = 3
)

// upload is what an upload's form holds.
type upload struct {
	clientID, message, replyTo string
	name, declared             string      // the file's name and the type its browser declared
	file                       *files.Temp // nil: no file came
}

// uploadRefusal is why an upload was refused: the status, the reason
// logged, and what the person is told.
type uploadRefusal struct {
	status int
	reason string
	say    lang.Msg
}

func (s *Server) sendFile(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	var clientID string
	refuse := func(no *uploadRefusal) {
		s.log.Info("file refused", "reason", no.reason, "user_id", me.ID)
		if no.status == http.StatusRequestEntityTooLarge || no.status == http.StatusRequestTimeout {
			// The rest of the body is not read: the connection closes.
			w.Header().Set("Connection", "close")
		}
		s.render(w, r, no.status, views.SendNotice(lang.From(r.Context()).Say(no.say), clientID, false))
	}
	if r.ContentLength > maxUploadBody {
		refuse(tooLarge())
		return
	}
	if !s.uploads.start(me.ID) {
		refuse(&uploadRefusal{http.StatusTooManyRequests, "uploads_at_once", lang.M("upload.at_once")})
		return
	}
	defer s.uploads.end(me.ID)
	peer, err := s.store.UserByUsername(r.Context(), r.PathValue("peer"))
	if errors.Is(err, db.ErrNotFound) || (err == nil && peer.ID == me.ID) {
		refuse(&uploadRefusal{http.StatusNotFound, "unknown_peer", lang.M("send.unknown_peer")})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(uploadTime))
	rc.SetWriteDeadline(time.Now().Add(uploadTime + 30*time.Second))
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	up, no := s.readUpload(r)
	if up.file != nil {
		defer up.file.Discard()
	}
	clientID = up.clientID
	if no != nil {
		refuse(no)
		return
	}
	in := db.NewMessage{From: me, To: peer, ClientID: up.clientID}
	if no := readFields(up, &in); no != nil {
		refuse(no)
		return
	}
	// Whatever happens next, the request's end must not stop it halfway:
	// a file held is released.
	ctx := context.WithoutCancel(r.Context())
	kept, file, no, err := s.prepareFile(ctx, up)
	for _, t := range kept {
		defer t.Discard()
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if no != nil {
		refuse(no)
		return
	}
	in.File = &file
	hold, err := s.keepFiles(ctx, kept)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer func() {
		if err := s.store.ReleaseFiles(ctx, hold); err != nil {
			s.log.Error("release files", "err", err)
		}
	}()
	m, refusal, err := s.live.SendWithFile(ctx, in)
	switch {
	case err != nil:
		s.serverError(w, r, err)
	case refusal != nil:
		status := http.StatusUnprocessableEntity
		switch refusal.Reason {
		case live.ReasonRateLimited:
			status = http.StatusTooManyRequests
		case live.ReasonNotFriends:
			status = http.StatusForbidden
		}
		refuse(&uploadRefusal{status, refusal.Reason, refusal.Say})
	default:
		s.log.Info("file sent", "user_id", me.ID, "message_id", m.ID, "type", file.Type, "size", file.Size)
		s.render(w, r, http.StatusOK, views.SendNotice("", "", false))
	}
}

func tooLarge() *uploadRefusal {
	return &uploadRefusal{http.StatusRequestEntityTooLarge, "too_large", lang.M("upload.too_large")}
}

// readUpload reads an upload's form, the file to a temporary file. The
// caller discards the file.
func (s *Server) readUpload(r *http.Request) (upload, *uploadRefusal) {
	var up upload
	unreadable := &uploadRefusal{http.StatusBadRequest, "unreadable", lang.M("upload.unreadable")}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, unreadable
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, bodyRefusal(err, unreadable)
		}
		switch part.FormName() {
		case "file":
			if up.file != nil {
				return up, &uploadRefusal{http.StatusBadRequest, "two_files", lang.M("upload.two_files")}
			}
			if no := s.readFilePart(part, &up); no != nil {
				return up, no
			}
		case "client_id", "message", "reply_to":
			v, err := io.ReadAll(io.LimitReader(part, maxUploadField+1))
			if err != nil {
				return up, bodyRefusal(err, unreadable)
			}
			if len(v) > maxUploadField {
				return up, &uploadRefusal{http.StatusRequestEntityTooLarge, "field_too_large", lang.M("upload.field_too_large")}
			}
			switch part.FormName() {
			case "client_id":
				up.clientID = string(v)
			case "message":
				up.message = string(v)
			default:
				up.replyTo = string(v)
			}
		default:
			// The composer's other fields (to: the path says whom).
			if _, err := io.Copy(io.Discard, io.LimitReader(part, maxUploadField)); err != nil {
				return up, bodyRefusal(err, unreadable)
			}
		}
	}
	if up.file == nil {
		return up, &uploadRefusal{http.StatusBadRequest, "no_file", lang.M("upload.no_file")}
	}
	return up, nil
}

// readFilePart checks the file's name and streams its bytes to a
// temporary file, at most media.MaxSize of them.
func (s *Server) readFilePart(part *multipart.Part, up *upload) *uploadRefusal {
	// Part.FileName drops any folders from the name; the name as sent
	// shows them.
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return &uploadRefusal{http.StatusBadRequest, "unreadable", lang.M("upload.unreadable")}
	}
	name, no := fileName(params["filename"])
	if no != nil {
		return no
	}
	up.name, up.declared = name, part.Header.Get("Content-Type")
	t, got, err := s.receive(part)
	up.file = t
	switch got {
	case receivedNothing:
		return &uploadRefusal{http.StatusBadRequest, "empty", lang.M("upload.empty", "Name", name)}
	case receivedTooMuch:
		return tooLarge()
	case receiveFailed:
		s.log.Error("upload: temporary file", "err", err)
		return &uploadRefusal{http.StatusInternalServerError, "internal", lang.M("upload.not_stored")}
	case receiveCut:
		return bodyRefusal(err, &uploadRefusal{http.StatusBadRequest, "interrupted", lang.M("upload.interrupted")})
	}
	return nil
}

// fileName checks the name a file came with: a name, not a path, in
// plain text; a file without one is called "file".
func fileName(sent string) (string, *uploadRefusal) {
	name := strings.TrimSpace(sent)
	switch {
	case name == "":
		return "file", nil
	case strings.ContainsAny(name, `/\`) || name == "." || name == "..":
		return "", &uploadRefusal{http.StatusBadRequest, "path_in_name", lang.M("upload.path_in_name")}
	case len(name) > 255:
		return "", &uploadRefusal{http.StatusBadRequest, "long_name", lang.M("upload.long_name")}
	case !utf8.ValidString(name) || text.CheckName(name) != nil:
		return "", &uploadRefusal{http.StatusBadRequest, "bad_name", lang.M("upload.bad_name")}
	}
	return name, nil
}

// bodyRefusal is the refusal for an error reading the body: too large,
// too slow, or otherwise (the client went away) the one given.
func bodyRefusal(err error, otherwise *uploadRefusal) *uploadRefusal {
	var tooBig *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &tooBig):
		return tooLarge()
	case errors.As(err, &netErr) && netErr.Timeout():
		return &uploadRefusal{http.StatusRequestTimeout, "too_slow", lang.M("upload.too_slow")}
	}
	return otherwise
}

// readFields checks the fields sent with the file into in.
func readFields(up upload, in *db.NewMessage) *uploadRefusal {
	if !live.ValidClientID(up.clientID) {
		return &uploadRefusal{http.StatusBadRequest, "bad_client_id", lang.M("upload.bad_client_id")}
	}
	body, no := live.CheckCaption(up.message)
	if no != nil {
		return &uploadRefusal{http.StatusUnprocessableEntity, no.Reason, no.Say}
	}
	in.Body = body
	if up.replyTo != "" {
		id, err := strconv.ParseInt(up.replyTo, 10, 64)
		if err != nil || id <= 0 {
			return &uploadRefusal{http.StatusBadRequest, "bad_reply_to", lang.M("send.reply_elsewhere")}
		}
		in.ReplyTo = id
	}
	return nil
}

// prepareFile decides what the uploaded file is from its bytes and makes
// what is stored of it: an image written again, with its thumbnail, or
// the file as it came. It returns the files to keep, finished.
func (s *Server) prepareFile(ctx context.Context, up upload) ([]*files.Temp, db.File, *uploadRefusal, error) {
	head := make([]byte, media.SniffLen)
	n, err := up.file.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, db.File{}, nil, err
	}
	sniffed := media.Sniff(head[:n])
	if !media.IsImage(sniffed) {
		if media.ClaimsImage(up.name, up.declared) {
			return nil, db.File{}, &uploadRefusal{http.StatusUnprocessableEntity, "fake_image", lang.M("upload.fake_image", "Name", up.name)}, nil
		}
		sum, err := up.file.Finish()
		if err != nil {
			return nil, db.File{}, nil, err
		}
		f := db.File{SHA256: sum, Name: up.name, Type: media.ServedType(sniffed), Size: up.file.Size()}
		return []*files.Temp{up.file}, f, nil, nil
	}

	// Decoding takes memory and processor time: a few at once.
	select {
	case s.imageWork <- struct{}{}:
		defer func() { <-s.imageWork }()
	case <-ctx.Done():
		return nil, db.File{}, nil, ctx.Err()
	}
	full, err := s.files.Create()
	if err != nil {
		return nil, db.File{}, nil, err
	}
	thumb, err := s.files.Create()
	if err != nil {
		full.Discard()
		return nil, db.File{}, nil, err
	}
	kept := []*files.Temp{full, thumb}
	img, err := media.Reencode(up.file, up.file.Size(), sniffed, full, thumb)
	var tooMany *media.TooLargeError
	switch {
	case errors.As(err, &tooMany):
		return kept, db.File{}, &uploadRefusal{http.StatusUnprocessableEntity, "too_many_pixels", lang.M("upload.too_many_pixels", "Width", tooMany.Width, "Height", tooMany.Height)}, nil
	case errors.Is(err, media.ErrNotImage):
		return kept, db.File{}, &uploadRefusal{http.StatusUnprocessableEntity, "bad_image", lang.M("upload.bad_image", "Name", up.name)}, nil
	case err != nil:
		return kept, db.File{}, nil, err
	}
	fullSum, err := full.Finish()
	if err != nil {
		return kept, db.File{}, nil, err
	}
	thumbSum, err := thumb.Finish()
	if err != nil {
		return kept, db.File{}, nil, err
	}
	f := db.File{
		SHA256: fullSum, Name: renamed(up.name, img.Type), Type: img.Type, Size: full.Size(),
		Width: img.Width, Height: img.Height, Thumb: thumbSum,
	}
	return kept, f, nil, nil
}

// renamed is name with the extension of the type the image is stored
// as, so that a saved copy opens as what it is.
func renamed(name, typ string) string {
	ext := ".png"
	if typ == media.JPEG {
		ext = ".jpg"
	}
	old := path.Ext(name)
	if strings.EqualFold(old, ext) || (ext == ".jpg" && strings.EqualFold(old, ".jpeg")) {
		return name
	}
	return strings.TrimSuffix(name, old) + ext
}
