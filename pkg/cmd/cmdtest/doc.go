// Package cmdtest holds what the command packages' tests share: a Factory
// on buffers, running a command quietly, and checking a parse outcome.
// Only test files import it.
package cmdtest
