package define

// ShortIDLength is how many characters of an id listings and messages
// print.
const ShortIDLength = 12

// ShortID returns id cut to ShortIDLength characters; a shorter id is
// returned as it is.
func ShortID(id string) string {
	if len(id) > ShortIDLength {
		return id[:ShortIDLength]
	}
	return id
}
