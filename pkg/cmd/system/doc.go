// Package system holds the system verbs: info, version and unshare.
package system
