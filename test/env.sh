# Sourced by the test scripts: the toolchain on PATH and the build tags
# every go command needs (the Makefile sets the same).
export PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}
export GOFLAGS=-tags=containers_image_openpgp,exclude_graphdriver_btrfs
export CGO_ENABLED=1
