package export

import (
	"chat/db"
	"fmt"
	"html"
	"io"
	"time"
)

// conversationHTML writes the conversation as a page to read in any
// browser, offline.
func (x *exporter) conversationHTML(peer db.User) error {
	f, err := x.create("conversations/" + peer.Username + ".html")
	if err != nil {
		return err
	}
	title := html.EscapeString(x.l.T("export.chat_with", "Name", x.l.Name(peer.DisplayName), "Username", peer.Username))
	fmt.Fprintf(f, `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #191919; }
ol { list-style: none; padding: 0; }
li { margin: 0 0 1rem; }
.meta { color: #595959; font-size: 0.85rem; }
.mine .who { color: #067437; }
.text { white-space: pre-wrap; margin: 0.2rem 0 0; }
.deleted { font-style: italic; color: #595959; }
</style>
</head>
<body>
<h1>%s</h1>
<ol>
`, x.l.Code(), title, title)
	err = x.eachPage(peer, func(msgs []db.Message, d db.Details) error {
		for _, m := range msgs {
			who, class := x.l.Name(peer.DisplayName), "theirs"
			if m.SenderID == x.me {
				who, class = x.l.T("quote.you"), "mine"
			}
			at := x.at(m.CreatedAt)
			fmt.Fprintf(f, "<li class=\"%s\"><span class=\"meta\"><span class=\"who\">%s</span> · <time datetime=\"%s\">%s</time></span>",
				class, html.EscapeString(who), at.Format(time.RFC3339), x.l.T("export.at", "Date", at.Format("2006-01-02"), "Time", at.Format("15:04")))
			switch {
			case m.Deleted:
				fmt.Fprintf(f, `<p class="text deleted">%s</p>`, html.EscapeString(x.l.T("message.deleted")))
			default:
				if m.File != nil {
					name := html.EscapeString(m.File.Name)
					if p := x.filePath(m); p != "" {
						fmt.Fprintf(f, `<p class="text">📎 <a href="../%s">%s</a></p>`, html.EscapeString(p), name)
					} else {
						fmt.Fprintf(f, `<p class="text">📎 %s</p>`, name)
					}
				}
				if m.Body != "" {
					fmt.Fprintf(f, `<p class="text">%s</p>`, html.EscapeString(m.Body))
				}
			}
			if _, err := io.WriteString(f, "</li>\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, "</ol>\n</body>\n</html>\n")
	return err
}
