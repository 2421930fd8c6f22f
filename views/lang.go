package views

import (
	"context"

	"chat/lang"
)

// t says message id in the language the page is rendered in (lang.With).
func t(ctx context.Context, id string, args ...any) string {
	return lang.From(ctx).T(id, args...)
}
