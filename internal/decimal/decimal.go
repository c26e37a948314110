// Package decimal writes the numbers of the PDF's and the OFD's content:
// thousandths of a point or a millimetre as decimals, without strconv's
// float formatting, whose shortest-form search was a tenth of a writer's
// CPU time.
package decimal

import "strconv"

// AppendMilli appends n thousandths to b as a decimal: the integer part,
// and the thousandths after a point with their trailing zeros dropped
// (1500 → 1.5, -25 → -0.025, 3000 → 3). For a magnitude whose ulp is far
// below 1/1000, these are the digits strconv.AppendFloat(float64(n)/1000,
// 'f', -1, 64) writes.
func AppendMilli(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/1000, 10)
	if f := n % 1000; f != 0 {
		b = append(b, '.', byte('0'+f/100))
		if f%100 != 0 {
			b = append(b, byte('0'+f/10%10))
			if f%10 != 0 {
				b = append(b, byte('0'+f%10))
			}
		}
	}
	return b
}
