package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// searchWords is the vocabulary of the filled messages: common English
// words first (the generator picks them with a Zipf distribution, so the
// first are in a large share of messages, as in real text) and Chinese
// words written together as one run.
var searchWords = strings.Fields(`the you to and it is that of in for on have be what
	at not this with are so just but can do we was my like get know if go lunch
	me will all up about no out your now one time good see think want how
	today when tomorrow there meeting back then call later weekend dinner train
	station ticket office report project weather coffee movie birthday holiday
	picture photo message phone airport hotel restaurant price budget deadline
	harbour museum concert football library hospital doctor garden kitchen
	window bicycle umbrella keyboard printer camera mountain river island`)

var searchChinese = strings.Fields(`今天 明天 天气 很好 我们 你好 世界 吃饭 晚上 周末 电影
	咖啡 火车 车站 会议 报告 项目 生日 假期 照片 医院 图书馆 博物馆 音乐会 足球 厨房`)

// fillMessages stores n messages among people people, in pairs; the
// first person talks with ten of the others. Rows and their index rows
// go straight in through the writer, many to a transaction.
func fillMessages(b testing.TB, s *testStore, people, n int) (me int64) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(searchWords)-1))
	err := s.w.do(ctx, func(tx *Tx) error {
		for i := 1; i <= people; i++ {
			if _, err := tx.Exec(`INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, 'x', 0)`,
				i, fmt.Sprint("p", i), fmt.Sprint("Person ", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Pairs: person 1 with 2..11, then everyone with their neighbour.
	var pairs [][2]int
	for i := 2; i <= 11; i++ {
		pairs = append(pairs, [2]int{1, i})
	}
	for i := 2; i < people; i += 2 {
		pairs = append(pairs, [2]int{i, i + 1})
	}
	const perTx = 10_000
	start := time.Now().Add(-time.Duration(n) * time.Second).UnixMilli()
	for done := 0; done < n; done += perTx {
		err := s.w.do(ctx, func(tx *Tx) error {
			for k := done; k < min(done+perTx, n); k++ {
				p := pairs[r.IntN(len(pairs))]
				var body strings.Builder
				if r.IntN(5) == 0 {
					for range 2 + r.IntN(4) {
						body.WriteString(searchChinese[r.IntN(len(searchChinese))])
					}
				} else {
					for w := range 3 + r.IntN(10) {
						if w > 0 {
							body.WriteByte(' ')
						}
						body.WriteString(searchWords[zipf.Uint64()])
					}
				}
				id := int64(k + 1)
				if _, err := tx.Exec(`INSERT INTO messages (id, user_low, user_high, sender_id, client_id, body, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, id, p[0], p[1], p[r.IntN(2)], fmt.Sprint("f", id), body.String(), start+int64(k)*1000); err != nil {
					return err
				}
				if _, err := tx.Exec(`INSERT INTO message_search (docid, terms, people) VALUES (?, ?, ?)`,
					id, searchTerms(body.String()), searchPeople(int64(p[0]), int64(p[1]))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return 1
}

// BenchmarkSearchMillion fills 1,000,000 messages among 1,000 people
// (about a minute) and times searches of one person with ten
// conversations (about 20,000 of the messages): common and rare words,
// a word's beginning, two words, Chinese of two and four characters, and
// one that matches nothing. It reports the p50 and p99 of a search for
// its first page of 20, over every kind together.
func BenchmarkSearchMillion(b *testing.B) {
	s := mustOpen(b)
	began := time.Now()
	me := fillMessages(b, s, 1000, 1_000_000)
	b.Logf("filled 1,000,000 messages in %s", time.Since(began).Round(time.Second))
	queries := []string{"the", "you", "weather", "umbrella", "wea", "lunch tomorrow", "天气", "今天天气", "zebra"}
	ctx := context.Background()
	var times []time.Duration
	counts := map[string]int{}
	each := map[string][]time.Duration{}
	b.ResetTimer()
	for b.Loop() {
		for _, q := range queries {
			t0 := time.Now()
			found, _, err := s.Search(ctx, me, q, 0, 20)
			times = append(times, time.Since(t0))
			each[q] = append(each[q], time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			counts[q] = len(found)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[int(p*float64(len(times)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.Logf("results on the first page: %v", counts)
	for _, q := range queries {
		ts := each[q]
		slices.Sort(ts)
		b.Logf("%q: p50 %.2f ms, slowest %.2f ms", q, float64(ts[len(ts)/2])/1e6, float64(ts[len(ts)-1])/1e6)
	}
}
