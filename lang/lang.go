// Package lang holds what the site says, in each language it speaks:
// one message catalogue a language (a JSON file of messages by id, with
// go-i18n's plural forms where a count changes the words), how a page's
// language is chosen, and the Lang pages and live updates render with.
//
// Catalogues are whole or not offered: lang_test.go fails when an id the
// code uses is missing from any catalogue, or when two catalogues do not
// hold the same ids. A language is offered (Offered) once its catalogue
// is whole and every page speaks through it.
package lang

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.json
var catalogues embed.FS

// bundle holds every catalogue, read once; client holds, by language,
// the messages the browser's scripts say (ids starting "js."), as the
// catalogue has them.
var bundle, client = func() (*i18n.Bundle, map[string]map[string]any) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	entries, err := catalogues.ReadDir(".")
	if err != nil {
		panic(err)
	}
	client := map[string]map[string]any{}
	for _, e := range entries {
		f, err := b.LoadMessageFileFS(catalogues, e.Name())
		if err != nil {
			panic(fmt.Sprintf("lang: %s: %v", e.Name(), err))
		}
		data, _ := catalogues.ReadFile(e.Name())
		var all map[string]any
		if err := json.Unmarshal(data, &all); err != nil {
			panic(err)
		}
		mine := map[string]any{}
		for id, m := range all {
			if strings.HasPrefix(id, "js.") {
				mine[strings.TrimPrefix(id, "js.")] = m
			}
		}
		client[f.Tag.String()] = mine
	}
	return b, client
}()

// Offered are the languages a person can choose, and that browsers'
// Accept-Language is matched against; the first is the default.
var Offered = []language.Tag{language.English, language.Chinese}

var matcher = language.NewMatcher(Offered)

// Lang is a language the site speaks, ready to say things in. It is a
// small comparable value: views.Locale, which holds it, keys maps.
type Lang struct {
	tag language.Tag
	*speaker
}

// speaker is what saying things in one language takes, made once.
type speaker struct {
	loc *i18n.Localizer
	// plain are the language's messages without plural forms, said by
	// filling in their {{.Name}} placeholders: pages say dozens of them
	// for every message they render, and this is far quicker than the
	// localizer, which says the plural ones.
	plain map[string]string
	// plural are its messages with plural forms: "one" and "other" for
	// English, "other" alone for Chinese, whose words do not change with
	// a count.
	plural map[string]map[string]string
}

// speakers are the offered languages' speakers, by tag.
var speakers = func() map[language.Tag]*speaker {
	out := map[language.Tag]*speaker{}
	for _, t := range Offered {
		out[t] = &speaker{loc: i18n.NewLocalizer(bundle, t.String()), plain: plainOf[t.String()], plural: pluralOf[t.String()]}
	}
	return out
}()

// plainOf and pluralOf hold each language's messages by tag: those said
// by filling in placeholders, and those with plural forms.
var plainOf, pluralOf = func() (map[string]map[string]string, map[string]map[string]map[string]string) {
	plainOf, pluralOf := map[string]map[string]string{}, map[string]map[string]map[string]string{}
	entries, _ := catalogues.ReadDir(".")
	for _, e := range entries {
		data, _ := catalogues.ReadFile(e.Name())
		var all map[string]any
		if err := json.Unmarshal(data, &all); err != nil {
			panic(err)
		}
		tag := language.Make(strings.TrimSuffix(e.Name(), ".json")).String()
		plain, plural := map[string]string{}, map[string]map[string]string{}
		for id, m := range all {
			switch m := m.(type) {
			case string:
				if onlyPlaceholders(m) {
					plain[id] = m
				}
			case map[string]any:
				forms := map[string]string{}
				for form, text := range m {
					if s, ok := text.(string); ok && onlyPlaceholders(s) {
						forms[form] = s
					}
				}
				if forms["other"] != "" {
					plural[id] = forms
				}
			}
		}
		plainOf[tag], pluralOf[tag] = plain, plural
	}
	return plainOf, pluralOf
}()

// English is the site's default language.
var English = For(language.English)

// For is the language tag, or the one offered closest to it.
func For(tag language.Tag) Lang {
	_, i, _ := matcher.Match(tag)
	t := Offered[i]
	return Lang{tag: t, speaker: speakers[t]}
}

// Choose picks the language of a page: the person's setting (a tag, ""
// for none), else the browser's Accept-Language, else English.
func Choose(setting, acceptLanguage string) Lang {
	if setting != "" {
		if t, err := language.Parse(setting); err == nil {
			return For(t)
		}
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, i, _ := matcher.Match(tags...)
	return For(Offered[i])
}

// Code is the language's BCP 47 code, for the page's lang attribute:
// Chinese is written in simplified characters here, which tells the
// browser which forms of the characters to draw.
func (l Lang) Code() string {
	if l.speaker == nil {
		return "en"
	}
	if l.tag == language.Chinese {
		return "zh-Hans"
	}
	return l.tag.String()
}

// T says message id, its placeholders ({{.Name}}) filled from args, given
// as name, value pairs.
func (l Lang) T(id string, args ...any) string {
	if l.speaker == nil {
		l = English
	}
	for i := 1; i < len(args); i += 2 {
		if m, ok := args[i].(Msg); ok { // a value that is a message itself
			args = slices.Clone(args)
			for j := i; j < len(args); j += 2 {
				if m, ok = args[j].(Msg); ok {
					args[j] = l.Say(m)
				}
			}
			break
		}
	}
	if s, ok := l.plain[id]; ok {
		return fill(s, args)
	}
	return l.say(id, nil, args)
}

// placeholder is a {{.Name}} in a message.
var placeholder = regexp.MustCompile(`\{\{\.(\w+)\}\}`)

// onlyPlaceholders reports whether the only template actions of message
// s are plain {{.Name}} placeholders.
func onlyPlaceholders(s string) bool {
	return strings.Count(s, "{{") == len(placeholder.FindAllStringIndex(s, -1))
}

// fill puts the values of args (name, value pairs) into s's placeholders;
// one without a value is left empty. A plain scan: it runs for most words
// of every message rendered.
func fill(s string, args []any) string {
	i := strings.Index(s, "{{.")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i >= 0 {
		end := strings.Index(s[i:], "}}")
		if end < 0 {
			break
		}
		b.WriteString(s[:i])
		name := s[i+3 : i+end]
		for k := 0; k+1 < len(args); k += 2 {
			if args[k] == name {
				switch v := args[k+1].(type) {
				case string:
					b.WriteString(v)
				case int:
					b.WriteString(strconv.Itoa(v))
				default:
					fmt.Fprint(&b, v)
				}
				break
			}
		}
		s = s[i+end+2:]
		i = strings.Index(s, "{{.")
	}
	b.WriteString(s)
	return b.String()
}

// N says message id for a count n ({{.Count}}), in the plural form the
// language uses for it.
func (l Lang) N(id string, n int, args ...any) string {
	if l.speaker == nil {
		l = English
	}
	args = append(args, "Count", n)
	if forms, ok := l.plural[id]; ok {
		form := forms["other"]
		if one, ok := forms["one"]; ok && n == 1 {
			form = one
		}
		return fill(form, args)
	}
	return l.say(id, n, args)
}

func (l Lang) say(id string, count any, args []any) string {
	if l.speaker == nil {
		l = English
	}
	var data map[string]any
	if len(args) > 0 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		// A missing id is a bug the catalogue test catches; the page
		// shows the id rather than nothing.
		return strings.TrimSpace(id)
	}
	return s
}

// Client is what the browser's scripts say, for the page to carry: each
// message by its id (without "js."), a string or its plural forms
// ("one", "other"), with {{.Name}} placeholders.
func (l Lang) Client() map[string]any {
	if l.speaker == nil {
		l = English
	}
	return client[l.tag.String()]
}

// Choices are the languages a person can choose in Settings: each one's
// tag and its name in itself.
var Choices = []struct{ Tag, Name string }{{"en", "English"}, {"zh", "中文"}}

type ctxKey struct{}

// With returns ctx carrying l, for the components rendered with it.
func With(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From is the language ctx carries; English when none.
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return English
}

// Msg is a message to say later, in the language of whoever reads it:
// what one part of the program decides, and another, which knows the
// reader, says.
type Msg struct {
	ID   string
	Args []any // name, value pairs
}

// M is message id with its placeholders' values, as name, value pairs.
func M(id string, args ...any) Msg { return Msg{ID: id, Args: args} }

// Say says m.
func (l Lang) Say(m Msg) string { return l.T(m.ID, m.Args...) }

// A deleted account keeps an empty display name, so that each page says
// it in its own language (and no one can take the name).
var deletedAccount = M("account.deleted")

// Name is a person's display name as l says it: a deleted account's is
// "Deleted account".
func (l Lang) Name(displayName string) string {
	if displayName == "" {
		return l.Say(deletedAccount)
	}
	return displayName
}

// NameArg is a display name as a message's placeholder value, said in the
// language the message is (see Name).
func NameArg(displayName string) any {
	if displayName == "" {
		return deletedAccount
	}
	return displayName
}
