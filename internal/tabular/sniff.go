package tabular

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encodings the reader knows, by the names Encoding reports.
const (
	UTF8        = "utf-8"
	UTF16LE     = "utf-16le" // Excel's "Unicode text", always with a BOM
	UTF16BE     = "utf-16be"
	Windows1251 = "windows-1251"
	KOI8R       = "koi8-r"
	IBM866      = "ibm866" // DOS, still met in very old exports
)

// singleByte holds a decoding table per Cyrillic single-byte encoding. All
// of them are ASCII below 0x80, so lines, quotes and delimiters can be found
// in the raw bytes and only field text needs decoding.
var singleByte = map[string]*[256]rune{
	Windows1251: table(charmap.Windows1251),
	KOI8R:       table(charmap.KOI8R),
	IBM866:      table(charmap.CodePage866),
}

func table(cm *charmap.Charmap) *[256]rune {
	var t [256]rune
	for i := range t {
		t[i] = cm.DecodeByte(byte(i))
	}
	return &t
}

// encodingAliases maps the names people write in options to ours.
var encodingAliases = map[string]string{
	"utf-8": UTF8, "utf8": UTF8,
	"utf-16le": UTF16LE, "utf-16be": UTF16BE,
	"windows-1251": Windows1251, "cp1251": Windows1251, "win1251": Windows1251, "1251": Windows1251, "windows1251": Windows1251,
	"koi8-r": KOI8R, "koi8r": KOI8R,
	"ibm866": IBM866, "cp866": IBM866, "866": IBM866,
}

// detectSingleByte picks the Cyrillic encoding under which the high bytes
// of a sample that is not UTF-8 read most like Russian: the most frequent
// lower-case letters score highest, other lower-case letters less, capitals
// nothing, and anything else (box drawing, symbols) counts against. The
// three encodings place lower-case letters at different byte values, so
// the right one stands out after a few words.
func detectSingleByte(sample []byte) string {
	best, bestScore := Windows1251, 0
	for _, name := range []string{Windows1251, KOI8R, IBM866} {
		t := singleByte[name]
		score := 0
		for _, c := range sample {
			if c < utf8.RuneSelf {
				continue
			}
			switch r := t[c]; {
			case strings.ContainsRune("оеаинтсрвл", r):
				score += 2
			case r >= 'а' && r <= 'я' || r == 'ё':
				score++
			case r >= 'А' && r <= 'Я' || r == 'Ё':
			default:
				score -= 2
			}
		}
		if score > bestScore {
			best, bestScore = name, score
		}
	}
	return best
}

// validUTF8Prefix reports whether sample is UTF-8, forgiving a rune cut in
// two at the end of a sample that stops mid-file.
func validUTF8Prefix(sample []byte, atEOF bool) bool {
	if !atEOF {
		for i := 0; i < utf8.UTFMax && i < len(sample); i++ {
			if utf8.RuneStart(sample[len(sample)-1-i]) {
				if !utf8.FullRune(sample[len(sample)-1-i:]) {
					sample = sample[:len(sample)-1-i]
				}
				break
			}
		}
	}
	return utf8.Valid(sample)
}

// detectEOL tells "\r"-terminated files (Excel for old Macs) from the rest.
func detectEOL(sample []byte) byte {
	if bytes.IndexByte(sample, '\n') < 0 && bytes.IndexByte(sample, '\r') >= 0 {
		return '\r'
	}
	return '\n'
}

// delimiters are the candidates, in order of preference on a tie.
var delimiters = []byte{',', ';', '\t', '|'}

// detectDelimiter picks the candidate that splits the sampled records into
// the same number of fields (at least two) most consistently, respecting
// quotes; on equal consistency, the one giving more fields. A file of one
// column gets ','.
func detectDelimiter(sample []byte, eol byte, atEOF bool) byte {
	records := sampleRecords(sample, eol, atEOF)
	best, bestConsistency, bestFields := byte(','), 0, 0
	for _, d := range delimiters {
		counts := make([]int, len(records))
		for i, rec := range records {
			counts[i] = countFields(rec, d)
		}
		if len(counts) == 0 || counts[0] < 2 {
			continue
		}
		// Consistency in whole percent, measured against the first record
		// (the header, in most files).
		same := 0
		for _, c := range counts {
			if c == counts[0] {
				same++
			}
		}
		consistency := same * 100 / len(counts)
		if consistency > bestConsistency || consistency == bestConsistency && counts[0] > bestFields {
			best, bestConsistency, bestFields = d, consistency, counts[0]
		}
	}
	return best
}

// maxSampleRecords bounds the records looked at to choose a delimiter.
const maxSampleRecords = 200

// sampleRecords splits a sample into records at line ends outside quotes,
// skipping blank ones and, unless the sample is the whole file, the last one
// (it may be cut short).
func sampleRecords(sample []byte, eol byte, atEOF bool) [][]byte {
	var records [][]byte
	inQuotes, start := false, 0
	for i := 0; i < len(sample) && len(records) < maxSampleRecords; i++ {
		switch sample[i] {
		case '"':
			inQuotes = !inQuotes
		case eol:
			if !inQuotes {
				if rec := bytes.TrimRight(sample[start:i], "\r"); len(rec) > 0 {
					records = append(records, rec)
				}
				start = i + 1
			}
		}
	}
	if atEOF && start < len(sample) && len(records) < maxSampleRecords {
		records = append(records, sample[start:])
	}
	return records
}

// countFields counts the fields of one record split by d outside quotes.
func countFields(rec []byte, d byte) int {
	n, inQuotes := 1, false
	for _, c := range rec {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case c == d && !inQuotes:
			n++
		}
	}
	return n
}
