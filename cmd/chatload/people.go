package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const password = "load-test-password"

// person is one account the generator acts as.
type person struct {
	index  int
	name   string
	cookie string // the chat_session cookie, "name=value"
}

// client is an HTTP client that, like a browser, does not follow
// redirects on its own here (the generator reads them) and sends this
// site's Origin on posts.
var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
}

func (s *server) post(path, cookie string, form url.Values, htmx bool) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, s.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	return do(req)
}

func (s *server) get(path, cookie string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	if err != nil {
		return nil, err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	return do(req)
}

// do sends req and reads the body away: the generator needs only the
// status, headers and cookies.
func do(req *http.Request) (*http.Response, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, nil
}

func sessionCookie(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if c.Name == "chat_session" && c.MaxAge >= 0 {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

// signupOrLogin signs p up, or logs in when the account exists already.
// Each costs one bcrypt hash on the server, so trying the likelier one
// first halves the time of a first run.
func (s *server) signupOrLogin(p *person) error {
	resp, err := s.post("/signup", "", url.Values{
		"username": {p.name}, "display_name": {fmt.Sprintf("Load %d", p.index)}, "password": {password},
	}, false)
	if err != nil {
		return err
	}
	if c := sessionCookie(resp); c != "" && resp.StatusCode == http.StatusSeeOther {
		p.cookie = c
		return nil
	}
	resp, err = s.post("/login", "", url.Values{"username": {p.name}, "password": {password}}, false)
	if err != nil {
		return err
	}
	if c := sessionCookie(resp); c != "" && resp.StatusCode == http.StatusSeeOther {
		p.cookie = c
		return nil
	}
	return fmt.Errorf("could not sign up or log in %s (status %d)", p.name, resp.StatusCode)
}

// stillLoggedIn checks a remembered cookie.
func (s *server) stillLoggedIn(p *person) bool {
	resp, err := s.get("/friends", p.cookie)
	return err == nil && resp.StatusCode == http.StatusOK
}

// ensurePeople returns n accounts, logged in: remembered sessions are
// reused, otherwise each logs in or signs up through the forms. Passwords
// are hashed with bcrypt on purpose, so creating thousands takes minutes
// the first time; the sessions are kept in stateFile for the next run.
func ensurePeople(ctx context.Context, s *server, stateFile string, n int, verbose bool) ([]*person, error) {
	known := map[string]string{}
	if data, err := os.ReadFile(stateFile); err == nil {
		json.Unmarshal(data, &known)
	}
	people := make([]*person, n)
	for i := range people {
		people[i] = &person{index: i, name: fmt.Sprintf("lt%06d", i), cookie: known[fmt.Sprintf("lt%06d", i)]}
	}
	var created, reused int
	var mu sync.Mutex
	err := parallel(ctx, n, 16, func(i int) error {
		p := people[i]
		if p.cookie != "" && s.stillLoggedIn(p) {
			mu.Lock()
			reused++
			mu.Unlock()
			return nil
		}
		if err := s.signupOrLogin(p); err != nil {
			return err
		}
		mu.Lock()
		created++
		if verbose && created%500 == 0 {
			fmt.Fprintf(os.Stderr, "  %d people logged in or signed up\n", created)
		}
		mu.Unlock()
		return nil
	})
	for _, p := range people {
		if p.cookie != "" {
			known[p.name] = p.cookie
		}
	}
	if data, jerr := json.Marshal(known); jerr == nil {
		os.MkdirAll(filepath.Dir(stateFile), 0o700)
		os.WriteFile(stateFile, data, 0o600)
	}
	if verbose {
		fmt.Fprintf(os.Stderr, "  people: %d reused, %d logged in or signed up\n", reused, created)
	}
	return people, err
}

// befriend makes each pair (0,1), (2,3), ... friends: each asks the other;
// the second request of a crossing pair makes them friends, and asking a
// friend again changes nothing, so this is safe to repeat.
func befriend(ctx context.Context, s *server, people []*person) error {
	return parallel(ctx, len(people)/2, 32, func(i int) error {
		a, b := people[2*i], people[2*i+1]
		for _, step := range [][2]*person{{a, b}, {b, a}} {
			resp, err := s.post("/friends/requests", step[0].cookie, url.Values{"username": {step[1].name}}, true)
			if err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("friend request %s -> %s: status %d", step[0].name, step[1].name, resp.StatusCode)
			}
		}
		return nil
	})
}

// parallel runs f(0..n-1) with at most width at once; the first error
// stops the rest.
func parallel(ctx context.Context, n, width int, f func(int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < width; w++ {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// setReadReceipts saves everyone's read receipts setting as a person
// does on the settings page.
func setReadReceipts(ctx context.Context, s *server, people []*person, on bool) error {
	form := url.Values{}
	if on {
		form.Set("read_receipts", "on")
	}
	return parallel(ctx, len(people), 64, func(i int) error {
		resp, err := s.post("/settings", people[i].cookie, form, false)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("%s: saving settings answered %d", people[i].name, resp.StatusCode)
		}
		return nil
	})
}
