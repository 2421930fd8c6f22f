package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The packages' dependencies point one way: main -> handlers -> live ->
// {transport, hub, db, viewmodel, views}. Each rule names what a package
// must not import, directly or through another package of its own
// module.
func TestDependenciesPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}|{{join .Deps \",\"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports, deps := map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		imports[f[0]] = strings.Split(f[1], ",")
		deps[f[0]] = strings.Split(f[2], ",")
	}
	ours := func(pkg string) []string { // the module's own packages pkg depends on
		var out []string
		for _, d := range deps[pkg] {
			if strings.HasPrefix(d, "chat/") {
				out = append(out, d)
			}
		}
		return out
	}
	rules := []struct {
		pkg string
		// notDirect may not be imported by pkg itself; notAtAll may not be
		// among its dependencies in this module, or (for the standard
		// library) at all.
		notDirect, notAtAll []string
		// noneOfOurs: pkg depends on no package of this module.
		noneOfOurs bool
	}{
		{pkg: "chat/views", notDirect: []string{"net/http", "database/sql"},
			notAtAll: []string{"chat/db", "chat/hub", "chat/live", "chat/transport", "chat/handlers", "chat/viewmodel"}},
		{pkg: "chat/hub", notAtAll: []string{"net/http", "database/sql"}, noneOfOurs: true},
		{pkg: "chat/transport", notAtAll: []string{"database/sql"}, noneOfOurs: true},
		{pkg: "chat/db", notAtAll: []string{"net/http"}, noneOfOurs: true},
		{pkg: "chat/files", notAtAll: []string{"net/http", "database/sql"}, noneOfOurs: true},
		{pkg: "chat/lang", notAtAll: []string{"net/http", "database/sql"}, noneOfOurs: true},
		// Metrics observe through interfaces the observed define.
		{pkg: "chat/live", notAtAll: []string{"github.com/prometheus/client_golang/prometheus", "chat/metrics"}},
		{pkg: "chat/handlers", notAtAll: []string{"github.com/prometheus/client_golang/prometheus", "chat/metrics"}},
		{pkg: "chat/media", notAtAll: []string{"database/sql"}, noneOfOurs: true},
		{pkg: "chat/viewmodel", notDirect: []string{"net/http"},
			notAtAll: []string{"chat/hub", "chat/live", "chat/transport", "chat/handlers"}},
		{pkg: "chat/live", notAtAll: []string{"chat/handlers"}},
		// The websocket endpoint hands connections to live; it knows
		// nothing of sockets itself.
		{pkg: "chat/handlers", notDirect: []string{"chat/transport", "chat/hub", "github.com/gorilla/websocket"}},
	}
	for _, r := range rules {
		if _, ok := imports[r.pkg]; !ok {
			t.Errorf("%s is not in the module", r.pkg)
			continue
		}
		for _, p := range r.notDirect {
			if slices.Contains(imports[r.pkg], p) {
				t.Errorf("%s imports %s", r.pkg, p)
			}
		}
		for _, p := range r.notAtAll {
			if slices.Contains(deps[r.pkg], p) {
				t.Errorf("%s depends on %s", r.pkg, p)
			}
		}
		if r.noneOfOurs && len(ours(r.pkg)) > 0 {
			t.Errorf("%s depends on %v: it should stand alone", r.pkg, ours(r.pkg))
		}
	}
}
