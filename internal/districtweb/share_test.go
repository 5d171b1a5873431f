package districtweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/programme"
)

// link joins a kiosk to house h by hand, as outbox.Join does, and
// returns what the kiosk keeps.
func (w *world) link(t *testing.T, h postgres.House) district.Link {
	t.Helper()
	j, err := outbox.Join(context.Background(), w.srv.Client(), w.srv.URL, w.code(t, h))
	if err != nil {
		t.Fatal(err)
	}
	return district.Link{URL: w.srv.URL, Kiosk: j.Kiosk, Key: j.Key, House: j.House, District: j.District}
}

// call posts v to path as l's kiosk, signed, and decodes a 200 answer
// into out; it returns the status and, if refused, the problem.
func (w *world) call(t *testing.T, l district.Link, path string, v, out any) (int, outbox.Problem) {
	t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+path, bytes.NewReader(body))
	outbox.Sign(req, l, w.clock.Now(), body)
	return w.do(t, req, out)
}

func (w *world) do(t *testing.T, req *http.Request, out any) (int, outbox.Problem) {
	t.Helper()
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p outbox.Problem
	if resp.StatusCode != http.StatusOK {
		_ = json.NewDecoder(resp.Body).Decode(&p)
		return resp.StatusCode, p
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, p
}

// mustCall is call that wants a 200.
func (w *world) mustCall(t *testing.T, l district.Link, path string, v, out any) {
	t.Helper()
	if status, p := w.call(t, l, path, v, out); status != http.StatusOK {
		t.Fatalf("%s: %d %s: %s", path, status, p.Code, p.Message)
	}
}

// pull asks for updates until there are no more.
func (w *world) pull(t *testing.T, l district.Link, after int64) (district.Updates, int64) {
	t.Helper()
	var all district.Updates
	for range 100 {
		var u district.Updates
		w.mustCall(t, l, district.UpdatesPath, district.UpdatesRequest{After: after}, &u)
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

func titles(as []district.Activity) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.House+": "+a.Title)
	}
	slices.Sort(out)
	return out
}

// A house's two kiosks publish its programme and refer a question to
// another house; that house's kiosk pulls the programme, the district's
// partners and the question, once.
func TestSharing(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	west, oost := w.house(t, "Huis West"), w.house(t, "Huis Oost")
	door, garden, oostDoor := w.link(t, west), w.link(t, west), w.link(t, oost)
	if _, err := w.db.SavePartner(ctx, district.Partner{Name: "Schuldhulp", HelpsWith: "schulden", Contact: "020-1234567"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}

	today := programme.DateOf(w.clock.Now())
	prog := func(made time.Time, title string) district.Programme {
		return district.Programme{From: today.String(), To: today.AddDays(13).String(), Made: made, Activities: []district.Activity{
			{Key: "wandel-1", Day: today.String(), Start: "14:00", End: "15:00", Title: title, Category: "bewegen"},
		}}
	}
	var pub map[string]int
	w.mustCall(t, door, district.ProgrammePath, prog(w.clock.Now(), "Wandelgroep"), &pub)
	// The garden kiosk's programme was made earlier and arrives later.
	w.mustCall(t, garden, district.ProgrammePath, prog(w.clock.Now().Add(-time.Minute), "Oude wandelgroep"), &pub)
	// One from a kiosk whose clock is an hour fast would hold back the
	// other's for that hour.
	if status, p := w.call(t, garden, district.ProgrammePath, prog(w.clock.Now().Add(time.Hour), "Uit de toekomst"), nil); status != 400 || p.Code != "clock" {
		t.Errorf("a programme made an hour from now: %d %q, want 400 clock", status, p.Code)
	}

	r := district.Referral{ID: district.NewEventID(), ToHouse: "Huis Oost", Topic: "geld", Language: "tr",
		Text: "Ik begrijp deze brief niet", Code: "7K3M9Q", At: w.clock.Now()}
	self := r
	self.ID, self.ToHouse = district.NewEventID(), "Huis West"
	var acc district.ReferralsAccepted
	w.mustCall(t, door, district.ReferralsPath, district.Referrals{Referrals: []district.Referral{r, self}}, &acc)
	if !slices.Equal(acc.Accepted, []string{r.ID}) || acc.Refused[self.ID] == "" {
		t.Errorf("referrals: got %+v, want one accepted and the one to itself refused", acc)
	}
	// The same referral from the house's other kiosk: kept once.
	w.mustCall(t, garden, district.ReferralsPath, district.Referrals{Referrals: []district.Referral{r}}, &acc)
	if !slices.Equal(acc.Accepted, []string{r.ID}) {
		t.Errorf("the same referral again: got %+v, want it accepted", acc)
	}

	u, _ := w.pull(t, oostDoor, 0)
	if got, want := titles(u.Activities), []string{"Huis West: Wandelgroep"}; !slices.Equal(got, want) {
		t.Errorf("Oost sees %q, want %q", got, want)
	}
	if len(u.Partners) != 1 || u.Partners[0].Name != "Schuldhulp" || !slices.Equal(u.Houses, []string{"Huis West"}) {
		t.Errorf("Oost gets partners %+v and houses %q", u.Partners, u.Houses)
	}
	if len(u.Referrals) != 1 || u.Referrals[0].ID != r.ID || u.Referrals[0].FromHouse != "Huis West" || u.Referrals[0].Text != r.Text || u.Referrals[0].Code != r.Code {
		t.Errorf("Oost gets referrals %+v, want the one from Huis West", u.Referrals)
	}
	for _, l := range []district.Link{door, garden} {
		if u, _ := w.pull(t, l, 0); len(u.Referrals) != 0 || len(u.Activities) != 0 || !slices.Equal(u.Houses, []string{"Huis Oost"}) {
			t.Errorf("West's kiosk gets its own: %+v", u)
		}
	}
}

// A forged, replayed, malformed or revoked request to any of the
// sharing paths is refused, and changes nothing.
func TestSharingRefusals(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	west, oost := w.house(t, "Huis West"), w.house(t, "Huis Oost")
	l, _ := w.link(t, west), w.link(t, oost)
	today := programme.DateOf(w.clock.Now())
	good := map[string]any{
		district.ProgrammePath: district.Programme{From: today.String(), To: today.String(), Made: w.clock.Now(), Activities: []district.Activity{
			{Key: "k", Day: today.String(), Start: "10:00", End: "11:00", Title: "Koffie", Category: "ontmoeten"}}},
		district.ReferralsPath: district.Referrals{Referrals: []district.Referral{{ID: district.NewEventID(), ToHouse: "Huis Oost",
			Topic: "geld", Language: "nl", Code: "7K3M9Q", At: w.clock.Now()}}},
		district.UpdatesPath: district.UpdatesRequest{},
	}
	bad := map[string]any{
		district.ProgrammePath: district.Programme{From: today.String(), To: today.String()}, // no Made
		district.ReferralsPath: district.Referrals{},                                         // none
		district.UpdatesPath:   district.UpdatesRequest{After: -1},
	}
	forged := l
	forged.Key = district.NewKey()
	for path, v := range good {
		t.Run(path, func(t *testing.T) {
			body, _ := json.Marshal(v)
			if status, p := w.call(t, forged, path, v, nil); status != 401 || p.Code != "forged" {
				t.Errorf("another key: %d %q, want 401 forged", status, p.Code)
			}
			// Signed for this path, sent to another.
			req, _ := http.NewRequest(http.MethodPost, w.srv.URL+path, bytes.NewReader(body))
			outbox.Sign(req, l, w.clock.Now(), body)
			other := district.UpdatesPath
			if path == other {
				other = district.ProgrammePath
			}
			moved, _ := http.NewRequest(http.MethodPost, w.srv.URL+other, bytes.NewReader(body))
			moved.Header = req.Header
			if status, p := w.do(t, moved, nil); status != 401 || p.Code != "forged" {
				t.Errorf("signed for another path: %d %q, want 401 forged", status, p.Code)
			}
			if status, p := w.call(t, l, path, bad[path], nil); status != 400 {
				t.Errorf("a malformed body: %d %q (%s), want 400", status, p.Code, p.Message)
			}

			req, _ = http.NewRequest(http.MethodPost, w.srv.URL+path, bytes.NewReader(body))
			outbox.Sign(req, l, w.clock.Now(), body)
			headers := req.Header.Clone()
			if status, p := w.do(t, req, nil); status != 200 {
				t.Fatalf("first send: %d %s", status, p.Message)
			}
			again, _ := http.NewRequest(http.MethodPost, w.srv.URL+path, bytes.NewReader(body))
			again.Header = headers
			if status, p := w.do(t, again, nil); status != 401 || p.Code != "replay" {
				t.Errorf("replayed: %d %q, want 401 replay", status, p.Code)
			}
		})
	}
	if log, err := w.db.ReferralLog(ctx, 10); err != nil || len(log) != 1 {
		t.Errorf("referral log: %d, %v; want only the one good referral", len(log), err)
	}

	if err := w.db.Revoke(ctx, west.ID, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for path, v := range good {
		if status, p := w.call(t, l, path, v, nil); status != 403 || p.Code != "revoked" {
			t.Errorf("%s from a revoked house: %d %q, want 403 revoked", path, status, p.Code)
		}
	}
}
