package handlers

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// client is who sent a request, as far as the server can trust: the
// address it came from and whether it arrived over HTTPS. Behind a
// TLS-terminating proxy both are in headers the proxy sets; they are
// believed only from a proxy the server was told to trust
// (Config.TrustedProxies), and never from anyone else, who could write
// anything there.
type client struct {
	addr  string // the client's IP address
	https bool
}

type clientKey struct{}

// identifyClients works out each request's client (clientOf reads it).
func (s *Server) identifyClients(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := client{addr: remoteHost(r), https: r.TLS != nil}
		if s.trusted(c.addr) {
			if proto := lastValue(r.Header.Values("X-Forwarded-Proto")); proto != "" {
				c.https = strings.EqualFold(proto, "https")
			}
			if addr := s.forwardedFor(r.Header.Values("X-Forwarded-For")); addr != "" {
				c.addr = addr
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

// clientOf returns the request's client.
func clientOf(r *http.Request) client {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c
	}
	return client{addr: remoteHost(r), https: r.TLS != nil}
}

// trusted reports whether addr is one of the trusted proxies.
func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.trustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedFor is the client's address from X-Forwarded-For: each proxy
// appends the address it received from, so the client is the last one
// that is not itself a trusted proxy. Addresses before it were written by
// whoever sent the request and prove nothing.
func (s *Server) forwardedFor(values []string) string {
	var hops []string
	for _, v := range values {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		ip, err := netip.ParseAddr(hop)
		if err != nil {
			return "" // not an address: believe none of it
		}
		if !s.trusted(hop) {
			return ip.Unmap().String()
		}
	}
	return ""
}

// lastValue is the last of a header's comma-separated values: the one the
// nearest proxy set.
func lastValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	parts := strings.Split(values[len(values)-1], ",")
	return strings.TrimSpace(parts[len(parts)-1])
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// networks (192.0.2.10, 10.0.0.0/8) for Config.TrustedProxies.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
