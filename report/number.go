package report

import (
	"strconv"
	"strings"
)

// number is a JSON number literal held exactly: digits × 10^scale. Parsing
// by hand (not big.Rat or float64) keeps 2.02 exact and makes a literal
// like 1e999999999 cost nothing.
type number struct {
	neg    bool
	digits string // no leading or trailing zeros; "" for zero
	scale  int
}

// maxExp bounds the exponent we take literally; anything larger is out of
// every range this contract has.
const maxExp = 1000

// parseNumber parses a JSON number literal. ok is false for an exponent
// beyond ±maxExp.
func parseNumber(lit string) (n number, ok bool) {
	s := lit
	if strings.HasPrefix(s, "-") {
		n.neg, s = true, s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > maxExp || e < -maxExp {
			return n, false
		}
		exp, s = e, s[:i]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	scale := exp - len(frac)
	trimmed := strings.TrimRight(digits, "0")
	scale += len(digits) - len(trimmed)
	if trimmed == "" {
		scale = 0
	}
	n.digits, n.scale = trimmed, scale
	return n, true
}

func (n number) zero() bool { return n.digits == "" }

// places is the number of decimal places the value needs.
func (n number) places() int {
	if n.scale >= 0 {
		return 0
	}
	return -n.scale
}

// magnitude is the count of digits before the decimal point.
func (n number) magnitude() int {
	if n.zero() {
		return 0
	}
	return len(n.digits) + n.scale
}

// int64 returns the value of a whole number of at most 18 digits.
func (n number) int64() (int64, bool) {
	if n.places() > 0 || n.magnitude() > 18 {
		return 0, false
	}
	if n.zero() {
		return 0, true
	}
	v, err := strconv.ParseInt(n.digits+strings.Repeat("0", n.scale), 10, 64)
	if err != nil {
		return 0, false
	}
	if n.neg {
		v = -v
	}
	return v, true
}

// decimal formats a non-negative value in plain decimal notation.
func (n number) decimal() string {
	if n.zero() {
		return "0"
	}
	if n.scale >= 0 {
		return n.digits + strings.Repeat("0", n.scale)
	}
	p := -n.scale
	d := n.digits
	if len(d) <= p {
		d = strings.Repeat("0", p-len(d)+1) + d
	}
	return d[:len(d)-p] + "." + d[len(d)-p:]
}
