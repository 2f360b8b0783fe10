# Release recipe (docs: README "Install").
#   make release                  self-contained binary, man page and completions in .build-release/dist
#   make install PREFIX=/usr/local   copies them into PREFIX (DESTDIR is honoured)
#   make uninstall PREFIX=…       removes exactly those files (and the directories it used, when left empty)
#   make check-release            what CI checks: ldd, --version, --help, a CLI command on `sim serve`,
#                                 `man -l`, the bash completion, install + uninstall into a temporary prefix
PREFIX ?= /usr/local
SCRATCH ?= .build-release
DIST := $(SCRATCH)/dist
DEST := $(DESTDIR)$(PREFIX)

# The installed files, relative to the prefix (and to $(DIST)).
BIN_FILE  := bin/atoms-tui
DATA_FILES := share/man/man1/atoms-tui.1 \
              share/bash-completion/completions/atoms-tui \
              share/zsh/site-functions/_atoms-tui \
              share/fish/vendor_completions.d/atoms-tui.fish
# Directories uninstall removes when they are empty afterwards, deepest first.
DIRS := share/man/man1 share/man \
        share/bash-completion/completions share/bash-completion \
        share/zsh/site-functions share/zsh \
        share/fish/vendor_completions.d share/fish \
        share bin

.PHONY: release install uninstall check-release

release:
	SCRATCH=$(SCRATCH) scripts/release.sh

install:
	@for f in $(BIN_FILE) $(DATA_FILES); do \
	  [ -f "$(DIST)/$$f" ] || { echo "install: $(DIST)/$$f is missing: run 'make release' first" >&2; exit 1; }; \
	done
	install -d "$(DEST)/bin"
	install -m 755 "$(DIST)/$(BIN_FILE)" "$(DEST)/$(BIN_FILE)"
	@set -e; for f in $(DATA_FILES); do \
	  install -d "$(DEST)/$$(dirname $$f)"; \
	  echo install -m 644 "$(DIST)/$$f" "$(DEST)/$$f"; \
	  install -m 644 "$(DIST)/$$f" "$(DEST)/$$f"; \
	done

uninstall:
	@for f in $(BIN_FILE) $(DATA_FILES); do \
	  if [ -e "$(DEST)/$$f" ]; then echo rm -f "$(DEST)/$$f"; rm -f "$(DEST)/$$f"; fi; \
	done
	@for d in $(DIRS); do \
	  [ -d "$(DEST)/$$d" ] && rmdir "$(DEST)/$$d" 2>/dev/null && echo rmdir "$(DEST)/$$d"; \
	done; true

check-release:
	SCRATCH=$(SCRATCH) scripts/check-release.sh
