// Package system holds the system verbs: info, version, unshare, and the
// `pod system` noun with doctor, migrate and renumber (which never enter the
// user namespace).
package system
