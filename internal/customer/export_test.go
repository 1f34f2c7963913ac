package customer

// Filtering reports whether the loader asks the database only about keys
// its filter may hold.
func (l *Loader) Filtering() bool { return l.known != nil }
