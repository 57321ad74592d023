// Package layering holds the test that enforces pod's package layering
// (which packages may import cobra, the storage and image libraries).
package layering
