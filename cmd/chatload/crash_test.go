package main

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// The audit's check finds a lost, a doubled and a changed message in a
// database that holds them so.
func TestCrashCheckFindsHarm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE messages (id INTEGER PRIMARY KEY, client_id TEXT, body TEXT);
		INSERT INTO messages (client_id, body) VALUES
			('crash00000001', 'one'), ('crash00000002', 'two'), ('crash00000099', 'two'), ('crash00000003', 'three, changed')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	p := &person{name: "lt000000"}
	a := &crashAudit{sent: map[string]*sentMessage{
		"crash00000001": {from: p, body: "one", acked: true},
		"crash00000002": {from: p, body: "two", acked: true},
		"crash00000003": {from: p, body: "three", acked: true},
		"crash00000004": {from: p, body: "four", acked: true},
		"crash00000005": {from: p, body: "five"}, // never acknowledged: no promise made
	}}
	var res crashResult
	if err := a.check(path, &res); err != nil {
		t.Fatal(err)
	}
	want := crashResult{Sent: 5, Acknowledged: 4, Lost: 1, Duplicated: 1, Changed: 1, Integrity: "ok"}
	if res.Sent != want.Sent || res.Acknowledged != want.Acknowledged || res.Lost != want.Lost ||
		res.Duplicated != want.Duplicated || res.Changed != want.Changed || res.Integrity != want.Integrity {
		t.Errorf("check found %+v, want %+v", res, want)
	}
	if res.failed() == nil {
		t.Error("an audit with losses passed")
	}
}
