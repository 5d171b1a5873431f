package account

// DummyHash lets tests check the dummy hash keeps pace with HashCost.
const DummyHash = dummyHash
