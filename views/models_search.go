package views

// View models of the search page.

import (
	"time"
)

// Search is the search page: what was asked, what is said about it (too
// short, nothing found, how many), the messages found, and where the
// next page of older results is.
type Search struct {
	Query     string
	Status    string
	Results   []SearchResult
	OlderHref string
	Now       time.Time
}

// SearchResult is one message found: whose conversation, who wrote it,
// when, and its text (or the part of a long one around the first match)
// with the matches marked.
type SearchResult struct {
	ID       int64
	Href     string
	PeerName string
	Mine     bool
	At       time.Time
	Hour12   bool
	Parts    []Marked
}

// Marked is a run of text, marked when it matched.
type Marked struct {
	Text string
	Mark bool
}
