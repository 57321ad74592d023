package report

import (
	"io"
	"text/tabwriter"
)

// NewTabWriter returns the tab writer of table output for rows a command
// writes itself, cells separated by tabs (top, mount): cells padded to at
// least 12 columns and separated by at least two spaces. Flush it when
// done.
func NewTabWriter(out io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(out, tableMinWidth, tableTabWidth, tablePadding, ' ', 0)
}
