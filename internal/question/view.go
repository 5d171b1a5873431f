package question

import "time"

// VisitorView is all a visitor may see of their question, at the kiosk
// ("Mijn bonnetje") or on the slip's page without logging in: where it
// stands, the message a volunteer wrote for them, and the house it was
// handed over to, so that they go there with the slip. It leaves out the
// question's text, the internal notes, the partner and every name, so
// that someone who finds a lost slip learns nothing about its owner.
type VisitorView struct {
	Status    Status
	Message   string    // the latest message for the visitor; "" for none yet
	MessageAt time.Time // when Message was written; zero for none
	HandedTo  string    // the other house an open question was referred to; "" for none
}
