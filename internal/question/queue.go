package question

import "time"

// QueueFilter narrows the volunteers' queue.
type QueueFilter struct {
	Topic  string // a topic key; "" for all
	Status Status // "" for every open question
	Lang   string // the visitor's language tag; "" for all
}

// QueueItem is one question in the volunteers' queue.
type QueueItem struct {
	Question  Question
	ClaimedBy string    // the volunteer who took it on, if any
	LastEvent time.Time // when anything last happened to it
}
