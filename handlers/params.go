package handlers

import (
	"net/http"
	"strconv"
)

// messageParam reads query parameter name as a message id: 0 when it is
// absent, ok false (and a 400 written) when it is not a positive number.
func messageParam(w http.ResponseWriter, r *http.Request, name string) (id int64, ok bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		http.Error(w, name+" must be a message id", http.StatusBadRequest)
		return 0, false
	}
	return id, true
}
