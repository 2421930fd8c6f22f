package handlers

import (
	"net/http"

	"chat/lang"
)

// t says message id in the language of the request's page.
func t(r *http.Request, id string, args ...any) string {
	return lang.From(r.Context()).T(id, args...)
}

// nameOf is a person's display name as the request's page says it (a
// deleted account's is "Deleted account" in its language).
func nameOf(r *http.Request, displayName string) string {
	return lang.From(r.Context()).Name(displayName)
}
