// Package build holds what a build does without the store: parsing a
// Containerfile into stages with buildkit's Dockerfile packages, the
// build context (ignore files, COPY/ADD sources, their content checksum)
// and copying sources into a mounted root file system. The engine
// (libpod's Runtime.Build) runs the steps.
package build
