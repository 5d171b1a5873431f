package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the district's day without relying on the system's zoneinfo

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
)

// What the houses share besides their figures (district.Updates): the
// partner directory, the houses' programmes and the referrals between
// houses. Every change takes a fresh value of share_seq, and a kiosk
// pulls the changes after the last value it has, in that order.
//
// The hazard of such a cursor: a writer takes seq 7, another takes 8
// and commits, a reader hands out 8 and moves its cursor there, and
// then 7 commits: the kiosk never sees 7. A reader must hand out only
// values below the lowest one a still-running writer holds. Two ways
// to know that:
//
//   - pg_snapshot_xmin, as transactional outbox readers do: keep each
//     row's xid8 and hand out only rows of transactions older than the
//     snapshot's xmin. The cursor is then an (xid, seq) pair, not the
//     one number district.Updates has; a batch cannot end inside one
//     big transaction (a programme of 2,000 activities) at exactly
//     MaxUpdates; and any long writing transaction anywhere on the
//     server, whatever it writes, holds every kiosk's updates back.
//   - A lock (chosen here): a writer takes its values while it holds
//     the share lock shared (writers never wait for each other), and a
//     reader takes it exclusively for a moment, which waits only for
//     the sharing writers now running, and reads the sequence's last
//     value while it holds it. Every value up to that horizon belongs
//     to a transaction that has ended, and PostgreSQL makes a commit
//     visible before it releases its locks, so the reader's next
//     snapshot sees all of them that committed. The cursor stays one
//     number and a batch ends at exactly MaxUpdates. The price is that
//     a pull waits for the writers under way (milliseconds: the longest
//     is one house's programme), and writers arriving meanwhile wait
//     for that pull's moment.
//
// Every statement that takes a value of share_seq must run in
// shareWrite.
const shareLock = migrationLock + 2

// shareWrite runs fn in a transaction that holds the share lock shared.
func (db *DB) shareWrite(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock_shared($1)", int64(shareLock)); err != nil {
			return err
		}
		return fn(tx)
	})
}

// horizon returns the highest value of share_seq that a reader may hand
// out: every value up to it belongs to a transaction that has ended.
func (db *DB) horizon(ctx context.Context) (int64, error) {
	var h int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(shareLock)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM share_seq").Scan(&h)
	})
	return h, err
}

// The district's time zone, in which a programme's days are days.
var districtZone = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return loc
}

// today is the district's day at now.
func today(now time.Time) programme.Date { return programme.DateOf(now.In(districtZone)) }

// Partners returns the partner directory by name, without the deleted.
func (db *DB) Partners(ctx context.Context) ([]district.Partner, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, name, helps_with, languages, hours, contact, false
		FROM partners WHERE deleted_at IS NULL ORDER BY lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("list partners: %w", err)
	}
	ps, err := pgx.CollectRows(rows, scanPartner)
	if err != nil {
		return nil, fmt.Errorf("list partners: %w", err)
	}
	return ps, nil
}

// Partner returns partner id of the directory, or ErrNotFound (also
// when it was deleted).
func (db *DB) Partner(ctx context.Context, id int64) (district.Partner, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, name, helps_with, languages, hours, contact, false
		FROM partners WHERE id = $1 AND deleted_at IS NULL`, id)
	if err != nil {
		return district.Partner{}, fmt.Errorf("partner %d: %w", id, err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, scanPartner)
	if errors.Is(err, pgx.ErrNoRows) {
		return district.Partner{}, fmt.Errorf("partner %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return district.Partner{}, fmt.Errorf("partner %d: %w", id, err)
	}
	return p, nil
}

func scanPartner(row pgx.CollectableRow) (district.Partner, error) {
	var p district.Partner
	err := row.Scan(&p.ID, &p.Name, &p.HelpsWith, &p.Languages, &p.Hours, &p.Contact, &p.Deleted)
	return p, err
}

// SavePartner adds p to the directory when its ID is 0, and otherwise
// changes the partner with that ID (ErrNotFound if there is none, or it
// was deleted). It returns p as kept, with its ID. If p is not right it
// returns p.Check's error, in words for the staff who typed it.
func (db *DB) SavePartner(ctx context.Context, p district.Partner, now time.Time) (district.Partner, error) {
	p.Deleted = false
	p.Name, p.HelpsWith = strings.TrimSpace(p.Name), strings.TrimSpace(p.HelpsWith)
	p.Hours, p.Contact = strings.TrimSpace(p.Hours), strings.TrimSpace(p.Contact)
	if p.Languages == nil {
		p.Languages = []string{}
	}
	if err := p.Check(); err != nil {
		return district.Partner{}, err
	}
	err := db.shareWrite(ctx, func(tx pgx.Tx) error {
		if p.ID == 0 {
			return tx.QueryRow(ctx, `INSERT INTO partners (name, helps_with, languages, hours, contact, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				p.Name, p.HelpsWith, p.Languages, p.Hours, p.Contact, now).Scan(&p.ID)
		}
		tag, err := tx.Exec(ctx, `UPDATE partners SET name = $2, helps_with = $3, languages = $4, hours = $5, contact = $6,
			updated_at = $7, seq = nextval('share_seq') WHERE id = $1 AND deleted_at IS NULL`,
			p.ID, p.Name, p.HelpsWith, p.Languages, p.Hours, p.Contact, now)
		if err == nil && tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return district.Partner{}, fmt.Errorf("save partner %d: %w", p.ID, err)
	}
	return p, nil
}

// DeletePartner removes partner id from the directory and returns its
// name (ErrNotFound if there is none); the kiosks learn of it in their
// next Updates.
func (db *DB) DeletePartner(ctx context.Context, id int64, now time.Time) (string, error) {
	var name string
	err := db.shareWrite(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE partners SET deleted_at = $2, updated_at = $2, seq = nextval('share_seq')
			WHERE id = $1 AND deleted_at IS NULL RETURNING name`, id, now).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("delete partner %d: %w", id, err)
	}
	return name, nil
}

// ReferralEntry is one referral between houses as the district's staff
// see it: who referred what to whom, never the question's text or code.
type ReferralEntry struct {
	ID, From, To, Topic, Language string
	At, Delivered                 time.Time // Delivered is zero until the house referred to has it
}

// ReferralLog returns the last limit referrals between houses, newest
// first.
func (db *DB) ReferralLog(ctx context.Context, limit int) ([]ReferralEntry, error) {
	rows, err := db.pool.Query(ctx, `SELECT r.id, f.name, t.name, r.topic, r.language, r.at, r.delivered_at
		FROM referrals r JOIN houses f ON f.id = r.from_house JOIN houses t ON t.id = r.to_house
		ORDER BY r.at DESC, r.id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list referrals: %w", err)
	}
	log, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ReferralEntry, error) {
		var e ReferralEntry
		var delivered *time.Time
		err := row.Scan(&e.ID, &e.From, &e.To, &e.Topic, &e.Language, &e.At, &delivered)
		e.Delivered = orZero(delivered)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list referrals: %w", err)
	}
	return log, nil
}

// PublishProgramme keeps p as house houseID's programme of the days
// p.From..p.To: activities no longer in it become deleted ones, changed
// ones change, unchanged ones stay as they were (so kiosks are not sent
// them again). If the district has a programme of the house made at or
// after p.Made (the house's other kiosk published since, or this one is
// late), p is ignored. The caller checks p first (p.Check).
func (db *DB) PublishProgramme(ctx context.Context, houseID int64, p district.Programme, now time.Time) error {
	n := len(p.Activities)
	keys, days, starts, ends := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	titles, categories, rooms, cancelled := make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
	for i, a := range p.Activities {
		keys[i], days[i], starts[i], ends[i] = a.Key, a.Day, a.Start, a.End
		titles[i], categories[i], rooms[i], cancelled[i] = a.Title, a.Category, a.Room, a.Cancelled
	}
	err := db.shareWrite(ctx, func(tx pgx.Tx) error {
		// The house's row is locked until commit: the house's two
		// kiosks publishing at once take turns, and the later one finds
		// whether it is newer.
		var newer bool
		err := tx.QueryRow(ctx, `INSERT INTO programmes AS p (house_id, made, received_at) VALUES ($1, $2, $3)
			ON CONFLICT (house_id) DO UPDATE SET made = excluded.made, received_at = excluded.received_at
			WHERE p.made < excluded.made RETURNING true`, houseID, p.Made, now).Scan(&newer)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // the district has a newer one
		}
		if err != nil {
			return err
		}
		// Past days are never handed out: forget them.
		if _, err := tx.Exec(ctx, "DELETE FROM programme_activities WHERE house_id = $1 AND day < $2",
			houseID, pgDate(today(now).AddDays(-1))); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE programme_activities SET deleted = true, seq = nextval('share_seq')
			WHERE house_id = $1 AND day BETWEEN $2::date AND $3::date AND NOT deleted AND NOT key = ANY($4::text[])`,
			houseID, p.From, p.To, keys); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO programme_activities AS a
				(house_id, key, day, start_time, end_time, title, category, room, cancelled)
			SELECT $1, key, day::date, start_time, end_time, title, category, room, cancelled
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[])
				AS n (key, day, start_time, end_time, title, category, room, cancelled)
			ORDER BY key
			ON CONFLICT (house_id, key) DO UPDATE SET day = excluded.day, start_time = excluded.start_time,
				end_time = excluded.end_time, title = excluded.title, category = excluded.category,
				room = excluded.room, cancelled = excluded.cancelled, deleted = false, seq = nextval('share_seq')
			WHERE (a.day, a.start_time, a.end_time, a.title, a.category, a.room, a.cancelled, a.deleted)
				IS DISTINCT FROM (excluded.day, excluded.start_time, excluded.end_time, excluded.title,
					excluded.category, excluded.room, excluded.cancelled, false)`,
			houseID, keys, days, starts, ends, titles, categories, rooms, cancelled)
		return err
	})
	if err != nil {
		return fmt.Errorf("publish programme of house %d: %w", houseID, err)
	}
	return nil
}

// Refer keeps the referrals that house fromHouseID's volunteers made,
// for the houses referred to to pull. It refuses, with the reason, a
// referral to a house the district does not know, to a revoked one, or
// to the house itself; a referral it has already (sent twice, or by the
// house's other kiosk) is accepted again and kept once. The caller
// checks each referral first (district.Referral.Check).
func (db *DB) Refer(ctx context.Context, fromHouseID int64, rs []district.Referral, now time.Time) (district.ReferralsAccepted, error) {
	var out district.ReferralsAccepted
	err := db.shareWrite(ctx, func(tx pgx.Tx) error {
		out = district.ReferralsAccepted{Accepted: []string{}, Refused: map[string]string{}}
		ids, names := make([]string, len(rs)), make([]string, len(rs))
		for i, r := range rs {
			ids[i], names[i] = r.ID, r.ToHouse
		}
		known := map[string]int64{} // id: the house that referred it
		rows, err := tx.Query(ctx, "SELECT id, from_house FROM referrals WHERE id = ANY($1)", ids)
		if err != nil {
			return err
		}
		var id string
		var from int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &from}, func() error { known[id] = from; return nil }); err != nil {
			return err
		}
		type house struct {
			id      int64
			revoked bool
		}
		houses := map[string]house{}
		rows, err = tx.Query(ctx, "SELECT name, id, revoked_at IS NOT NULL FROM houses WHERE name = ANY($1)", names)
		if err != nil {
			return err
		}
		var name string
		var h house
		if _, err := pgx.ForEachRow(rows, []any{&name, &h.id, &h.revoked}, func() error { houses[name] = h; return nil }); err != nil {
			return err
		}

		var fresh []district.Referral
		var to []int64
		for _, r := range rs {
			if from, ok := known[r.ID]; ok {
				if from == fromHouseID {
					out.Accepted = append(out.Accepted, r.ID)
				} else {
					out.Refused[r.ID] = district.RefusedIDTaken
				}
				continue
			}
			h, ok := houses[r.ToHouse]
			switch {
			case !ok:
				out.Refused[r.ID] = district.RefusedUnknownHouse
			case h.revoked:
				out.Refused[r.ID] = district.RefusedHouseLeft
			case h.id == fromHouseID:
				out.Refused[r.ID] = district.RefusedOwnHouse
			default:
				fresh = append(fresh, r)
				to = append(to, h.id)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		// In id order, so that two kiosks sending the same referrals at
		// once wait for each other's ids in one order, not deadlock.
		n := len(fresh)
		cols := struct {
			id, topic, lang, text, code, note []string
			to                                []int64
			at                                []time.Time
		}{make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), to, make([]time.Time, n)}
		for i, r := range fresh {
			cols.id[i], cols.topic[i], cols.lang[i], cols.text[i], cols.code[i], cols.note[i], cols.at[i] = r.ID, r.Topic, r.Language, r.Text, r.Code, r.Note, r.At
		}
		if _, err := tx.Exec(ctx, `INSERT INTO referrals (id, from_house, to_house, topic, language, text, code, note, at, received_at)
			SELECT id, $1, to_house, topic, language, text, code, note, at, $2
			FROM unnest($3::text[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
				AS r (id, to_house, topic, language, text, code, note, at)
			ORDER BY id
			ON CONFLICT (id) DO NOTHING`,
			fromHouseID, now, cols.id, cols.to, cols.topic, cols.lang, cols.text, cols.code, cols.note, cols.at); err != nil {
			return err
		}
		// A referral the house's other kiosk inserted meanwhile is as
		// good as this one's.
		for _, r := range fresh {
			out.Accepted = append(out.Accepted, r.ID)
		}
		return nil
	})
	if err != nil {
		return district.ReferralsAccepted{}, fmt.Errorf("refer from house %d: %w", fromHouseID, err)
	}
	if len(out.Refused) == 0 {
		out.Refused = nil
	}
	return out, nil
}

// Updates returns what changed for house houseID after the cursor
// after, in the order it changed, at most district.MaxUpdates things:
// the partner directory, the programmes of the other houses (of today
// on), and the referrals to this house. Houses is the other houses one
// may refer to, whole. A kiosk that asks after a referral's place has
// stored it: from then on it counts as delivered.
//
// A cursor past anything the district has handed out (the district was
// restored from an older backup) starts again from the beginning.
func (db *DB) Updates(ctx context.Context, houseID int64, after int64, now time.Time) (district.Updates, error) {
	h, err := db.horizon(ctx)
	if err != nil {
		return district.Updates{}, fmt.Errorf("updates for house %d: %w", houseID, err)
	}
	if after < 0 || after > h {
		after = 0
	}
	u := district.Updates{Cursor: h, Houses: []string{}, Partners: []district.Partner{}, Activities: []district.Activity{}, Referrals: []district.Referral{}}
	// seq of each thing read, to merge the three in order.
	var order []change
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE referrals SET delivered_at = $3 WHERE to_house = $1 AND seq <= $2 AND delivered_at IS NULL",
			houseID, after, now); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT name FROM houses WHERE id <> $1 AND revoked_at IS NULL ORDER BY name", houseID)
		if err != nil {
			return err
		}
		if u.Houses, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		// Tombstones only for a kiosk that may have what they remove.
		rows, err = tx.Query(ctx, `SELECT seq, id, name, helps_with, languages, hours, contact, deleted_at IS NOT NULL
			FROM partners WHERE seq > $1 AND seq <= $2 AND ($1 > 0 OR deleted_at IS NULL)
			ORDER BY seq LIMIT $3`, after, h, district.MaxUpdates+1)
		if err != nil {
			return err
		}
		var seq int64
		var p district.Partner
		if _, err := pgx.ForEachRow(rows, []any{&seq, &p.ID, &p.Name, &p.HelpsWith, &p.Languages, &p.Hours, &p.Contact, &p.Deleted}, func() error {
			if p.Deleted {
				p = district.Partner{ID: p.ID, Deleted: true}
			}
			order = append(order, change{seq, 'p', partnerSize(p)})
			u.Partners = append(u.Partners, p)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT a.seq, h.name, a.key, a.day::text, a.start_time, a.end_time, a.title, a.category, a.room, a.cancelled, a.deleted
			FROM programme_activities a JOIN houses h ON h.id = a.house_id
			WHERE a.seq > $1 AND a.seq <= $2 AND a.house_id <> $3 AND h.revoked_at IS NULL AND a.day >= $4
				AND ($1 > 0 OR NOT a.deleted)
			ORDER BY a.seq LIMIT $5`, after, h, houseID, pgDate(today(now)), district.MaxUpdates+1)
		if err != nil {
			return err
		}
		var a district.Activity
		if _, err := pgx.ForEachRow(rows, []any{&seq, &a.House, &a.Key, &a.Day, &a.Start, &a.End, &a.Title, &a.Category, &a.Room, &a.Cancelled, &a.Deleted}, func() error {
			order = append(order, change{seq, 'a', activitySize(a)})
			u.Activities = append(u.Activities, a)
			return nil
		}); err != nil {
			return err
		}
		// A purged referral has nothing left to go on.
		rows, err = tx.Query(ctx, `SELECT r.seq, r.id, f.name, t.name, r.topic, r.language, r.text, r.code, r.note, r.at
			FROM referrals r JOIN houses f ON f.id = r.from_house JOIN houses t ON t.id = r.to_house
			WHERE r.to_house = $3 AND r.seq > $1 AND r.seq <= $2 AND r.purged_at IS NULL
			ORDER BY r.seq LIMIT $4`, after, h, houseID, district.MaxUpdates+1)
		if err != nil {
			return err
		}
		var r district.Referral
		_, err = pgx.ForEachRow(rows, []any{&seq, &r.ID, &r.FromHouse, &r.ToHouse, &r.Topic, &r.Language, &r.Text, &r.Code, &r.Note, &r.At}, func() error {
			order = append(order, change{seq, 'r', referralSize(r)})
			u.Referrals = append(u.Referrals, r)
			return nil
		})
		return err
	})
	if err != nil {
		return district.Updates{}, fmt.Errorf("updates for house %d: %w", houseID, err)
	}
	// Too many, or too much text: keep the first in seq order, and have
	// the kiosk ask again after the last of them.
	// Each kind was read in seq order, so what is kept of it is the
	// first so many.
	slices.SortFunc(order, func(x, y change) int { return cmp.Compare(x.seq, y.seq) })
	kept, size := map[byte]int{}, 0
	for i, c := range order {
		size += c.size
		if i == district.MaxUpdates || (i > 0 && size > district.MaxUpdatesText) {
			u.Cursor, u.More = order[i-1].seq, true
			u.Partners, u.Activities, u.Referrals = u.Partners[:kept['p']], u.Activities[:kept['a']], u.Referrals[:kept['r']]
			break
		}
		kept[c.kind]++
	}
	return u, nil
}

// About how many bytes each thing takes in JSON: its field names and
// its text.
func partnerSize(p district.Partner) int {
	return 120 + jsonLen(p.Name, p.HelpsWith, p.Hours, p.Contact) + 6*len(p.Languages)
}

func activitySize(a district.Activity) int {
	return 140 + jsonLen(a.House, a.Key, a.Title, a.Category, a.Room)
}

func referralSize(r district.Referral) int {
	return 200 + jsonLen(r.ID, r.FromHouse, r.ToHouse, r.Topic, r.Text, r.Note)
}

// jsonLen is at most how long strings are in encoding/json's output,
// which writes "<", ">", "&" and control characters as \u003c and so
// on, and U+2028 and U+2029 likewise.
func jsonLen(ss ...string) int {
	n := 0
	for _, s := range ss {
		n += len(s)
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 5
			case c == '"' || c == '\\':
				n++
			case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
				n += 3
			}
		}
	}
	return n
}

// change is one thing Updates read: its seq, its kind and where it is.
type change struct {
	seq  int64
	kind byte // 'p'artner, 'a'ctivity, 'r'eferral
	size int  // about its bytes in JSON
}

// How long the district keeps a referral's text, note and code: as long
// as the house referred to keeps a question's text (internal/retention)
// once it has it, and longer for a house that has not asked yet.
const (
	KeepDelivered   = 30 * 24 * time.Hour
	KeepUndelivered = 90 * 24 * time.Hour
)

// PurgeReferrals empties the text, note and code of the referrals
// delivered more than KeepDelivered ago, and of those not delivered
// within KeepUndelivered; it returns how many it emptied. Who referred
// what topic to whom stays, for the referral log.
func (db *DB) PurgeReferrals(ctx context.Context, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE referrals SET text = '', note = '', code = '', purged_at = $1
		WHERE purged_at IS NULL AND (delivered_at < $2 OR (delivered_at IS NULL AND received_at < $3))`,
		now, now.Add(-KeepDelivered), now.Add(-KeepUndelivered))
	if err != nil {
		return 0, fmt.Errorf("purge referrals: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
