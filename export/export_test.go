package export

import "testing"

func TestFileNamesInTheZipHoldNoFolders(t *testing.T) {
	for name, want := range map[string]string{
		"report.pdf":               "report.pdf",
		"../../etc/passwd":         "passwd",
		`C:\Users\alice\notes.txt`: "notes.txt",
		"..":                       "file",
		"/":                        "file",
		"照片 2026.jpg":              "照片 2026.jpg",
	} {
		if got := safeName(name); got != want {
			t.Errorf("safeName(%q) = %q, want %q", name, got, want)
		}
	}
}
