# pod: build, test, install. Every go command gets the build tags through GOFLAGS.
GO       ?= go
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBEXEC  ?= $(PREFIX)/libexec/pod
DOCDIR   ?= $(PREFIX)/share/doc/pod
SHAREDIR ?= $(PREFIX)/share
MANDIR   ?= $(SHAREDIR)/man
VERSION  ?= 0.1.0
export GOFLAGS := -tags=containers_image_openpgp,exclude_graphdriver_btrfs
export CGO_ENABLED := 1
BUILT    ?= $(or $(SOURCE_DATE_EPOCH),$(shell date +%s))
LDFLAGS  := -s -w -X github.com/pod-engine/pod/pkg/cmd/root.Version=$(VERSION) \
	-X github.com/pod-engine/pod/pkg/cmd/system.buildTime=$(BUILT)

.PHONY: all build docs test test-unit test-e2e test-faults bench lint install help clean

all: build

help: ## show this help
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/pod, bin/pod-monitor and bin/pod-portfwd
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/pod ./cmd/pod
	$(GO) build -trimpath -ldflags '-s -w' -o bin/pod-monitor ./cmd/pod-monitor
	$(GO) build -trimpath -ldflags '-s -w' -o bin/pod-portfwd ./cmd/pod-portfwd

docs: ## generate the command reference, one page per command: markdown in docs/cli, man pages in docs/man/man1
	$(GO) run ./pkg/cmd/gendocs docs/cli docs/man/man1

test: ## unit tests, then end-to-end tests (root: creates the test user and registry)
	bash test/run.sh

test-unit: ## unit tests only
	$(GO) test -count=1 $$($(GO) list ./... | grep -v /test/e2e)

test-e2e: build ## end-to-end tests as an unprivileged user (run as root)
	bash test/setup.sh
	POD_E2E=1 $(GO) test -count=1 -v -timeout 40m ./test/e2e

test-faults: build ## the fault-injection suite, many rounds (run as root; POD_E2E_SEED replays)
	bash test/setup.sh
	POD_E2E=1 POD_E2E_FAULT_ITER=$${POD_E2E_FAULT_ITER:-20} $(GO) test -count=1 -v -timeout 60m -run 'TestFault' ./test/e2e

bench: build ## paired benchmarks against podman (run as root)
	bash test/bench/bench.sh

lint: ## vet, gofmt and layering checks
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) test -count=1 -run TestLayering ./test/layering

install: build docs ## install into PREFIX (bin/pod, libexec/pod/pod-monitor and pod-portfwd, docs, man pages, shell completions)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXEC) $(DESTDIR)$(DOCDIR)/cli $(DESTDIR)$(MANDIR)/man1
	install -m 0755 bin/pod $(DESTDIR)$(BINDIR)/pod
	install -m 0755 bin/pod-monitor $(DESTDIR)$(LIBEXEC)/pod-monitor
	install -m 0755 bin/pod-portfwd $(DESTDIR)$(LIBEXEC)/pod-portfwd
	install -m 0644 docs/cli/*.md $(DESTDIR)$(DOCDIR)/cli/
	install -m 0644 docs/man/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(SHAREDIR)/bash-completion/completions $(DESTDIR)$(SHAREDIR)/zsh/site-functions \
		$(DESTDIR)$(SHAREDIR)/fish/vendor_completions.d
	bin/pod completion bash > $(DESTDIR)$(SHAREDIR)/bash-completion/completions/pod
	bin/pod completion zsh > $(DESTDIR)$(SHAREDIR)/zsh/site-functions/_pod
	bin/pod completion fish > $(DESTDIR)$(SHAREDIR)/fish/vendor_completions.d/pod.fish

clean: ## remove build output
	rm -rf bin
