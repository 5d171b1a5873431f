package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
)

// pullAll asks for updates from after until there are no more, as a
// kiosk does, and returns them together with the last cursor.
func pullAll(t testing.TB, db *DB, houseID, after int64, now time.Time) (district.Updates, int64) {
	t.Helper()
	all := district.Updates{}
	for range 1000 {
		u, err := db.Updates(context.Background(), houseID, after, now)
		if err != nil {
			t.Fatal(err)
		}
		if u.Cursor < after {
			t.Fatalf("the cursor went back from %d to %d", after, u.Cursor)
		}
		all.Houses = u.Houses
		all.Partners = append(all.Partners, u.Partners...)
		all.Activities = append(all.Activities, u.Activities...)
		all.Referrals = append(all.Referrals, u.Referrals...)
		after = u.Cursor
		if !u.More {
			return all, after
		}
	}
	t.Fatal("updates never ended")
	return all, after
}

func partner(name string) district.Partner {
	return district.Partner{Name: name, HelpsWith: "schulden", Languages: []string{"nl", "tr"}, Hours: "di 10:00–12:00", Contact: "020-1234567"}
}

func TestPartnerDirectory(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, _ := joined(t, db, "Huis West", 1)

	b, err := db.SavePartner(ctx, partner("Schuldhulp West"), t0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.SavePartner(ctx, partner("Advies Noord"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
		t.Fatalf("ids %d and %d, want two new ones", a.ID, b.ID)
	}
	_, before := pullAll(t, db, west.ID, 0, t0)

	bad := partner("Zonder hulp")
	bad.HelpsWith = " "
	if _, err := db.SavePartner(ctx, bad, t0); err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "help") {
		t.Errorf("a partner without what they help with: got %v, want Check's words", err)
	}
	a.Hours, a.Name = "wo 13:00–15:00", "  Advies Noord-West "
	a, err = db.SavePartner(ctx, a, t0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Advies Noord-West" {
		t.Errorf("saved name %q, want it trimmed", a.Name)
	}
	unknown := partner("Niemand")
	unknown.ID = b.ID + 100
	if _, err := db.SavePartner(ctx, unknown, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("saving an unknown id: got %v, want ErrNotFound", err)
	}
	c, err := db.SavePartner(ctx, partner("Buurtcirkel"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeletePartner(ctx, b.ID, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeletePartner(ctx, b.ID, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: got %v, want ErrNotFound", err)
	}
	if _, err := db.SavePartner(ctx, b, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("saving a deleted partner: got %v, want ErrNotFound", err)
	}

	ps, err := db.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if want := []string{"Advies Noord-West", "Buurtcirkel"}; !slices.Equal(names, want) {
		t.Errorf("Partners: got %q, want %q", names, want)
	}
	if !slices.Equal(ps[0].Languages, []string{"nl", "tr"}) || ps[0].Hours != "wo 13:00–15:00" {
		t.Errorf("Partners: got %+v", ps[0])
	}

	// A kiosk that had the first two learns what changed since: the
	// change, the new one and the deletion, in that order.
	u, _ := pullAll(t, db, west.ID, before, t0)
	want := []district.Partner{a, c, {ID: b.ID, Deleted: true}}
	if fmt.Sprint(u.Partners) != fmt.Sprint(want) {
		t.Errorf("updates after %d:\ngot  %+v\nwant %+v", before, u.Partners, want)
	}
	// A new kiosk needs no tombstones.
	u, last := pullAll(t, db, west.ID, 0, t0)
	if fmt.Sprint(u.Partners) != fmt.Sprint([]district.Partner{a, c}) {
		t.Errorf("updates from 0: got %+v, want %+v", u.Partners, []district.Partner{a, c})
	}
	// A cursor the district never gave (it was restored from an older
	// backup than the kiosk's cursor): everything again.
	u, err = db.Updates(ctx, west.ID, last+1000, t0)
	if err != nil || u.Cursor != last || fmt.Sprint(u.Partners) != fmt.Sprint([]district.Partner{a, c}) {
		t.Errorf("updates after an unknown cursor: got %+v, %v; want all again, to cursor %d", u, err, last)
	}
}

// programmeOf makes a programme of days from..from+n-1 made at made,
// with the given activities.
func programmeOf(from programme.Date, n int, made time.Time, as ...district.Activity) district.Programme {
	return district.Programme{From: from.String(), To: from.AddDays(n - 1).String(), Made: made, Activities: as}
}

func activity(key string, day programme.Date, title string) district.Activity {
	return district.Activity{Key: key, Day: day.String(), Start: "14:00", End: "15:30", Title: title, Category: "bewegen", Room: "zaal"}
}

// keysOf lists activities as house/key title, deleted marked.
func keysOf(as []district.Activity) []string {
	var out []string
	for _, a := range as {
		s := a.House + "/" + a.Key + " " + a.Title
		if a.Deleted {
			s += " (deleted)"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestProgramme(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, _ := joined(t, db, "Huis West", 1)
	oost, _ := joined(t, db, "Huis Oost", 1)
	today := programme.DateOf(t0.In(districtZone))
	yesterday := today.AddDays(-1)

	publish := func(h House, p district.Programme) {
		t.Helper()
		if err := p.Check(); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishProgramme(ctx, h.ID, p, t0); err != nil {
			t.Fatal(err)
		}
	}
	publish(west, programmeOf(yesterday, 14, t0,
		activity("w-past", yesterday, "Koffie"),
		activity("w-1", today, "Wandelgroep"),
		activity("w-2", today.AddDays(1), "Taalcafé"),
		activity("w-3", today.AddDays(2), "Breien")))
	publish(oost, programmeOf(today, 14, t0, activity("o-1", today, "Yoga")))

	// Each house sees the other's, from today on, and not its own.
	u, oostCursor := pullAll(t, db, oost.ID, 0, t0)
	if got, want := keysOf(u.Activities), []string{"Huis West/w-1 Wandelgroep", "Huis West/w-2 Taalcafé", "Huis West/w-3 Breien"}; !slices.Equal(got, want) {
		t.Errorf("Oost sees %q, want %q", got, want)
	}
	if !slices.Equal(u.Houses, []string{"Huis West"}) {
		t.Errorf("Oost may refer to %q, want Huis West", u.Houses)
	}
	u, _ = pullAll(t, db, west.ID, 0, t0)
	if got, want := keysOf(u.Activities), []string{"Huis Oost/o-1 Yoga"}; !slices.Equal(got, want) {
		t.Errorf("West sees %q, want %q", got, want)
	}

	// A newer programme: one gone, one changed, one as it was, one new.
	// Only what changed travels.
	publish(west, programmeOf(today, 14, t0.Add(time.Hour),
		activity("w-1", today, "Wandelgroep"),
		activity("w-2", today.AddDays(1), "Taalcafé (vervalt)"),
		activity("w-4", today.AddDays(3), "Schaken")))
	u, oostCursor = pullAll(t, db, oost.ID, oostCursor, t0)
	if got, want := keysOf(u.Activities), []string{"Huis West/w-2 Taalcafé (vervalt)", "Huis West/w-3 Breien (deleted)", "Huis West/w-4 Schaken"}; !slices.Equal(got, want) {
		t.Errorf("after a newer programme Oost gets %q, want %q", got, want)
	}

	// The house's other kiosk, with an older programme (or the same
	// one): ignored.
	for _, made := range []time.Time{t0.Add(30 * time.Minute), t0.Add(time.Hour)} {
		publish(west, programmeOf(today, 14, made, activity("w-9", today, "Oud")))
	}
	if u, _ := pullAll(t, db, oost.ID, oostCursor, t0); len(u.Activities) != 0 {
		t.Errorf("an older programme changed %q", keysOf(u.Activities))
	}

	// Two days on, today's and tomorrow's are past.
	later := t0.Add(48 * time.Hour)
	u, _ = pullAll(t, db, oost.ID, 0, later)
	if got, want := keysOf(u.Activities), []string{"Huis West/w-4 Schaken"}; !slices.Equal(got, want) {
		t.Errorf("two days on Oost sees %q, want %q", got, want)
	}

	// A revoked house's programme no longer travels, nor may one refer
	// to it.
	if err := db.Revoke(ctx, west.ID, t0); err != nil {
		t.Fatal(err)
	}
	u, _ = pullAll(t, db, oost.ID, 0, t0)
	if len(u.Activities) != 0 || len(u.Houses) != 0 {
		t.Errorf("after West was revoked Oost sees %q and houses %q", keysOf(u.Activities), u.Houses)
	}
}

// referralSeq makes each referral's time later than the last's.
var referralSeq atomic.Int64

// referral makes a valid referral to house to.
func referral(to, text string) district.Referral {
	return district.Referral{ID: district.NewEventID(), ToHouse: to, Topic: "geld", Language: "tr", Text: text,
		Code: "7K3M9Q", Note: "zij spreken Turks", At: t0.Add(time.Duration(referralSeq.Add(1)) * time.Second)}
}

func TestReferrals(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, _ := joined(t, db, "Huis West", 2)
	oost, _ := joined(t, db, "Huis Oost", 1)
	noord, _ := joined(t, db, "Huis Noord", 1)
	gone, _ := joined(t, db, "Huis Zuid", 1)
	if err := db.Revoke(ctx, gone.ID, t0); err != nil {
		t.Fatal(err)
	}

	first, second := referral("Huis Oost", "Ik heb een brief van de belasting"), referral("Huis Oost", "")
	self, unknown, revoked := referral("Huis West", "x"), referral("Huis Nergens", "x"), referral("Huis Zuid", "x")
	acc, err := db.Refer(ctx, west.ID, []district.Referral{first, self, unknown, revoked}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(acc.Accepted, []string{first.ID}) || len(acc.Refused) != 3 {
		t.Fatalf("Refer: got %+v, want the first accepted and three refused", acc)
	}
	for _, c := range []struct {
		id, says string
	}{{self.ID, district.RefusedOwnHouse}, {unknown.ID, district.RefusedUnknownHouse}, {revoked.ID, district.RefusedHouseLeft}} {
		if acc.Refused[c.id] != c.says {
			t.Errorf("refused %q, want it to say %q", acc.Refused[c.id], c.says)
		}
	}
	// The same again (a lost answer, or the house's other kiosk), with
	// one more: each kept once.
	acc, err = db.Refer(ctx, west.ID, []district.Referral{first, second}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(acc.Accepted, []string{first.ID, second.ID}) || acc.Refused != nil {
		t.Errorf("Refer again: got %+v, want both accepted", acc)
	}
	// Another house cannot take over an id.
	acc, err = db.Refer(ctx, noord.ID, []district.Referral{first}, t0)
	if err != nil || len(acc.Accepted) != 0 || acc.Refused[first.ID] != district.RefusedIDTaken {
		t.Errorf("another house with a known id: got %+v, %v; want it refused", acc, err)
	}

	// Only Oost gets them, with who referred them; nobody else does.
	for _, h := range []House{west, noord} {
		if u, _ := pullAll(t, db, h.ID, 0, t0); len(u.Referrals) != 0 {
			t.Errorf("house %s got %d referrals, want none", h.Name, len(u.Referrals))
		}
	}
	u, cursor := pullAll(t, db, oost.ID, 0, t0)
	if len(u.Referrals) != 2 {
		t.Fatalf("Oost got %d referrals, want 2", len(u.Referrals))
	}
	got := u.Referrals[0]
	wantFirst := first
	wantFirst.FromHouse = "Huis West"
	if got.ID != first.ID || got.FromHouse != "Huis West" || got.Text != first.Text || got.Code != first.Code || got.Note != first.Note ||
		!got.At.Equal(first.At) || got.ToHouse != "Huis Oost" || got.Topic != "geld" || got.Language != "tr" {
		t.Errorf("Oost got\n%+v\nwant\n%+v", got, wantFirst)
	}
	if err := got.Check(); err != nil {
		t.Errorf("a referral as it travels down: %v", err)
	}

	// Delivered only once Oost asks past them: it has stored them.
	delivered := func() map[string]time.Time {
		t.Helper()
		log, err := db.ReferralLog(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]time.Time{}
		for _, e := range log {
			out[e.ID] = e.Delivered
		}
		return out
	}
	if d := delivered(); !d[first.ID].IsZero() || !d[second.ID].IsZero() {
		t.Errorf("delivered before Oost asked past them: %v", d)
	}
	deliveredAt := t0.Add(time.Minute)
	if _, err := db.Updates(ctx, oost.ID, cursor, deliveredAt); err != nil {
		t.Fatal(err)
	}
	if d := delivered(); !d[first.ID].Equal(deliveredAt) || !d[second.ID].Equal(deliveredAt) {
		t.Errorf("after Oost asked past them: delivered %v, want at %s", d, deliveredAt)
	}

	log, err := db.ReferralLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].ID != second.ID || log[0].From != "Huis West" || log[0].To != "Huis Oost" || log[0].Topic != "geld" || log[0].Language != "tr" {
		t.Errorf("ReferralLog: got %+v, want the two, newest first", log)
	}
	if log, _ := db.ReferralLog(ctx, 1); len(log) != 1 {
		t.Errorf("ReferralLog(1): got %d", len(log))
	}
}

func TestPurgeReferrals(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, _ := joined(t, db, "Huis West", 1)
	oost, _ := joined(t, db, "Huis Oost", 1)
	noord, _ := joined(t, db, "Huis Noord", 1)
	toOost, toNoord := referral("Huis Oost", "mijn huur"), referral("Huis Noord", "mijn huur")
	if _, err := db.Refer(ctx, west.ID, []district.Referral{toOost, toNoord}, t0); err != nil {
		t.Fatal(err)
	}
	_, cursor := pullAll(t, db, oost.ID, 0, t0)
	if _, err := db.Updates(ctx, oost.ID, cursor, t0); err != nil { // Oost has it now; Noord never asks
		t.Fatal(err)
	}
	kept := func(id string) (text, note, code string) {
		t.Helper()
		if err := db.pool.QueryRow(ctx, "SELECT text, note, code FROM referrals WHERE id = $1", id).Scan(&text, &note, &code); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, c := range []struct {
		at            time.Time
		purged        int
		oost, noord   bool // emptied
		noordReceives int
	}{
		{t0.Add(KeepDelivered - time.Minute), 0, false, false, 1},
		{t0.Add(KeepDelivered + time.Minute), 1, true, false, 1},
		{t0.Add(KeepUndelivered - time.Minute), 0, true, false, 1},
		{t0.Add(KeepUndelivered + time.Minute), 1, true, true, 0},
	} {
		n, err := db.PurgeReferrals(ctx, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if n != c.purged {
			t.Errorf("at %s: purged %d, want %d", c.at, n, c.purged)
		}
		for _, r := range []struct {
			id    string
			empty bool
		}{{toOost.ID, c.oost}, {toNoord.ID, c.noord}} {
			text, note, code := kept(r.id)
			if empty := text == "" && note == "" && code == ""; empty != r.empty || (!empty && (text == "" || code == "")) {
				t.Errorf("at %s: referral kept %q %q %q, want emptied %v", c.at, text, note, code, r.empty)
			}
		}
		if u, _ := pullAll(t, db, noord.ID, 0, c.at); len(u.Referrals) != c.noordReceives {
			t.Errorf("at %s: Noord receives %d, want %d", c.at, len(u.Referrals), c.noordReceives)
		}
	}
	if log, err := db.ReferralLog(ctx, 10); err != nil || len(log) != 2 {
		t.Errorf("the log after purging: %d, %v; want both still there", len(log), err)
	}
}

// A pull waits for a writer that took a lower seq and has not yet
// committed, instead of handing out the higher seq a later writer
// committed meanwhile and so skipping the lower one.
func TestUpdatesWaitForARunningWriter(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, _ := joined(t, db, "Huis West", 1)

	slow, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback(ctx)
	if _, err := slow.Exec(ctx, "SELECT pg_advisory_xact_lock_shared($1)", int64(shareLock)); err != nil {
		t.Fatal(err)
	}
	var slowID int64
	if err := slow.QueryRow(ctx, `INSERT INTO partners (name, helps_with, hours, contact, updated_at)
		VALUES ('Traag', 'alles', '', 'x', $1) RETURNING id`, t0).Scan(&slowID); err != nil {
		t.Fatal(err)
	}
	fast, err := db.SavePartner(ctx, partner("Snel"), t0) // a higher seq, committed first
	if err != nil {
		t.Fatal(err)
	}

	type result struct {
		u   district.Updates
		err error
	}
	pulled := make(chan result, 1)
	go func() {
		u, err := db.Updates(ctx, west.ID, 0, t0)
		pulled <- result{u, err}
	}()
	// Until the pull waits for the lock, and then some more: it must
	// not come back while the slow writer runs.
	for waiting := false; !waiting; {
		if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-pulled:
			t.Fatalf("the pull came back while a writer with a lower seq ran: %+v, %v", r.u.Partners, r.err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := slow.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-pulled
	if r.err != nil {
		t.Fatal(r.err)
	}
	var ids []int64
	for _, p := range r.u.Partners {
		ids = append(ids, p.ID)
	}
	if want := []int64{slowID, fast.ID}; !slices.Equal(ids, want) {
		t.Errorf("pulled partners %v, want %v: the slow writer's, then the fast one's", ids, want)
	}
}

// Many writers at once (partners, programmes, referrals) and a kiosk
// pulling all the while: it sees every change exactly once.
func TestUpdatesUnderConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	reader, _ := joined(t, db, "Huis Lezer", 1)
	const writers, rounds = 8, 60
	houses := make([]House, writers)
	for i := range houses {
		houses[i], _ = joined(t, db, fmt.Sprintf("Huis %d", i), 1)
	}
	today := programme.DateOf(t0.In(districtZone))

	var (
		mu      sync.Mutex
		written = map[string]bool{}
	)
	wrote := func(k string) { mu.Lock(); written[k] = true; mu.Unlock() }
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			h := houses[w]
			var acts []district.Activity
			for i := range rounds {
				p, err := db.SavePartner(ctx, partner(fmt.Sprintf("Partner %d-%d", w, i)), t0)
				if err != nil {
					errs <- err
					return
				}
				wrote(fmt.Sprintf("partner %d", p.ID))
				// The programme grows by one each round; the ones it had
				// are unchanged and so do not travel again.
				a := activity(fmt.Sprintf("a-%d", i), today.AddDays(i%14), fmt.Sprintf("Activiteit %d", i))
				acts = append(acts, a)
				if err := db.PublishProgramme(ctx, h.ID, programmeOf(today, 14, t0.Add(time.Duration(i)*time.Second), acts...), t0); err != nil {
					errs <- err
					return
				}
				wrote("activity " + h.Name + "/" + a.Key)
				rs := []district.Referral{referral(reader.Name, "vraag"), referral(reader.Name, "vraag")}
				if _, err := db.Refer(ctx, h.ID, rs, t0); err != nil {
					errs <- err
					return
				}
				wrote("referral " + rs[0].ID)
				wrote("referral " + rs[1].ID)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[string]int{}
	var cursor int64
	pulls := 0
	take := func(u district.Updates) {
		for _, p := range u.Partners {
			seen[fmt.Sprintf("partner %d", p.ID)]++
		}
		for _, a := range u.Activities {
			seen["activity "+a.House+"/"+a.Key]++
		}
		for _, r := range u.Referrals {
			seen["referral "+r.ID]++
		}
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		// After the writers are done, one more pull until no More gets
		// the rest.
		for {
			u, err := db.Updates(ctx, reader.ID, cursor, t0)
			if err != nil {
				t.Fatal(err)
			}
			pulls++
			take(u)
			cursor = u.Cursor
			if !u.More {
				break
			}
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if want := writers * rounds * 4; len(written) != want {
		t.Fatalf("wrote %d things, want %d", len(written), want)
	}
	var wrong []string
	for k := range written {
		if seen[k] != 1 {
			wrong = append(wrong, fmt.Sprintf("%s seen %d times", k, seen[k]))
		}
	}
	for k := range seen {
		if !written[k] {
			wrong = append(wrong, k+" seen, never written")
		}
	}
	slices.Sort(wrong)
	if len(wrong) > 0 {
		t.Errorf("%d things not seen exactly once, e.g. %q", len(wrong), wrong[:min(5, len(wrong))])
	}
	t.Logf("%d changes in %d pulls", len(written), pulls)
}

// PostgreSQL stopped while a kiosk refers: the refused request is sent
// again once it is back, and every referral arrives once.
func TestReferWhilePostgresStops(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.Start(t)
	db := openDSN(t, srv.DSN)
	west, _ := joined(t, db, "Huis West", 1)
	oost, _ := joined(t, db, "Huis Oost", 1)

	var sent []district.Referral
	refer := func(rs []district.Referral) error {
		acc, err := db.Refer(ctx, west.ID, rs, t0)
		if err == nil && len(acc.Accepted) != len(rs) {
			t.Fatalf("Refer: %+v, want all %d accepted", acc, len(rs))
		}
		return err
	}
	for round := range 3 {
		batch := []district.Referral{referral("Huis Oost", fmt.Sprint("vraag ", round)), referral("Huis Oost", "")}
		sent = append(sent, batch...)
		// Under way when the server goes: some in flight, some refused.
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() { _ = refer(batch) })
		}
		srv.Stop(t)
		if err := refer(batch); err == nil {
			t.Fatal("referred while PostgreSQL was stopped")
		}
		srv.Start(t)
		wg.Wait()
		// Try again until it takes: the pool drops connections the stop
		// broke.
		var err error
		for range 10 {
			if err = refer(batch); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatalf("after PostgreSQL came back: %v", err)
		}
	}
	u, _ := pullAll(t, db, oost.ID, 0, t0)
	var got, want []string
	for _, r := range u.Referrals {
		got = append(got, r.ID)
	}
	for _, r := range sent {
		want = append(want, r.ID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Oost got %d referrals %q, want the %d sent, once each", len(got), got, len(want))
	}
}

// More than one Updates holds, by number or by text, comes in parts,
// each thing once and in order.
func TestUpdatesComeInParts(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, _ := joined(t, db, "Huis West", 1)
	oost, _ := joined(t, db, "Huis Oost", 1)
	// As SavePartner adds them, in one statement: each its own seq.
	if _, err := db.pool.Exec(ctx, `INSERT INTO partners (name, helps_with, hours, contact, updated_at)
		SELECT format('Partner %s', to_char(i, 'FM0000')), 'schulden', '', '020-1234567', $1
		FROM generate_series(0, $2 - 1) i ORDER BY i`, t0, district.MaxUpdates+100); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("ü", district.MaxReferralText) // 4,000 bytes
	var sent []district.Referral
	for range 2 {
		var rs []district.Referral
		for range district.MaxReferrals {
			r := referral("Huis Oost", long)
			r.Note = long
			rs = append(rs, r)
		}
		if _, err := db.Refer(ctx, west.ID, rs, t0); err != nil {
			t.Fatal(err)
		}
		// One request's referrals take their seqs in id order.
		slices.SortFunc(rs, func(a, b district.Referral) int { return strings.Compare(a.ID, b.ID) })
		sent = append(sent, rs...)
	}

	var after int64
	var partners []string
	var referrals []string
	for pulls := 1; ; pulls++ {
		u, err := db.Updates(ctx, oost.ID, after, t0)
		if err != nil {
			t.Fatal(err)
		}
		n := len(u.Partners) + len(u.Activities) + len(u.Referrals)
		if n > district.MaxUpdates {
			t.Errorf("pull %d holds %d things", pulls, n)
		}
		size := 0
		for _, r := range u.Referrals {
			size += len(r.Text) + len(r.Note)
		}
		if size > district.MaxUpdatesText {
			t.Errorf("pull %d holds %d bytes of referrals' text, want at most %d", pulls, size, district.MaxUpdatesText)
		}
		if u.More && n == 0 {
			t.Fatalf("pull %d: More, and nothing in it", pulls)
		}
		for _, p := range u.Partners {
			partners = append(partners, p.Name)
		}
		for _, r := range u.Referrals {
			referrals = append(referrals, r.ID)
		}
		after = u.Cursor
		if !u.More {
			if pulls < 3 {
				t.Errorf("all came in %d pulls, want it in parts", pulls)
			}
			break
		}
	}
	if len(partners) != district.MaxUpdates+100 || !slices.IsSorted(partners) || len(slices.Compact(slices.Clone(partners))) != len(partners) {
		t.Errorf("got %d partners, want %d in the order they were added", len(partners), district.MaxUpdates+100)
	}
	var want []string
	for _, r := range sent {
		want = append(want, r.ID)
	}
	if !slices.Equal(referrals, want) {
		t.Errorf("got %d referrals, want the %d sent in the order they were sent", len(referrals), len(want))
	}
}
