package handlers

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"chat/files"
	"chat/media"
	"chat/views"
)

// saveAvatar is Save picture on /settings: the image sent becomes the
// person's profile picture, its middle square in two sizes, made once
// here (media.Avatar), shown live to everyone who sees them.
func (s *Server) saveAvatar(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	refuse := func(reason, say string) {
		s.log.Info("picture refused", "user_id", me.ID, "reason", reason)
		s.renderSettings(w, r, http.StatusUnprocessableEntity, func(v *views.Settings) { v.AvatarError = say })
	}
	if r.ContentLength > maxUploadBody {
		refuse("too_large", t(r, "avatar.too_large"))
		return
	}
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	src, reason, id := s.readAvatar(r)
	if src != nil {
		defer src.Discard()
	}
	if reason != "" {
		refuse(reason, t(r, id))
		return
	}
	head := make([]byte, media.SniffLen)
	n, _ := src.ReadAt(head, 0)
	typ := media.Sniff(head[:n])
	if !media.IsImage(typ) {
		refuse("not_image", t(r, "avatar.not_image"))
		return
	}
	large, err := s.files.Create()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer large.Discard()
	small, err := s.files.Create()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer small.Discard()
	ctx := context.WithoutCancel(r.Context())
	select {
	case s.imageWork <- struct{}{}:
		err = media.Avatar(src, src.Size(), typ, large, small)
		<-s.imageWork
	case <-r.Context().Done():
		return
	}
	var tooMany *media.TooLargeError
	switch {
	case errors.As(err, &tooMany):
		refuse("too_many_pixels", t(r, "avatar.too_many_pixels"))
		return
	case errors.Is(err, media.ErrNotImage):
		refuse("bad_image", t(r, "avatar.bad_image"))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	hold, err := s.keepFiles(ctx, []*files.Temp{large, small})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer s.store.ReleaseFiles(ctx, hold)
	largeSum, _ := large.Finish()
	smallSum, _ := small.Finish()
	if err := s.store.SetAvatar(ctx, me.ID, largeSum, smallSum); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("picture changed", "user_id", me.ID)
	http.Redirect(w, r, "/settings?saved=picture", http.StatusSeeOther)
}

// readAvatar streams the form's picture to a temporary file, or says why
// not: the reason logged, and the message id of what the person is told.
func (s *Server) readAvatar(r *http.Request) (*files.Temp, string, string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "unreadable", "avatar.unreadable"
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "no_file", "avatar.none"
		}
		if err != nil {
			return nil, "unreadable", "avatar.unreadable"
		}
		if part.FormName() != "avatar" {
			continue
		}
		t, got, _ := s.receive(part)
		switch got {
		case receiveFailed:
			return nil, "internal", "avatar.not_stored"
		case receiveCut:
			return t, "interrupted", "avatar.interrupted"
		case receivedTooMuch:
			return t, "too_large", "avatar.too_large"
		case receivedNothing:
			return t, "no_file", "avatar.none"
		}
		return t, "", ""
	}
}

// removeAvatar is Remove picture: back to the initials.
func (s *Server) removeAvatar(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	if err := s.store.SetAvatar(r.Context(), me.ID, "", ""); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=picture", http.StatusSeeOther)
}

// showAvatar serves a profile picture to anyone signed in, while it is
// someone's: its address is its content's hash, so it is kept as long
// as the browser likes.
func (s *Server) showAvatar(w http.ResponseWriter, r *http.Request) {
	sum := r.PathValue("sum")
	yes, err := s.store.IsAvatar(r.Context(), sum)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !yes || !files.ValidName(sum) {
		s.notFound(w, r)
		return
	}
	f, err := s.files.Open(sum)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", media.JPEG)
	h.Set("Content-Security-Policy", fileSecurityPolicy)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, f)
}
