package handlers

import (
	"net/http"

	"chat/lang"
)

// t says message id in the language of the request's page.
func t(r *http.Request, id string, args ...any) string {
	return lang.From(r.Context()).T(id, args...)
}
