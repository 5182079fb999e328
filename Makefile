# The two commands in README.md: `make site` (set up and build the sample) and `make test`.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup setup-test site test check serve bench clean screenshots

setup:
	bash tools/setup.sh

setup-test:
	bash tools/setup.sh --test

site: setup
	.venv/bin/lahio build

check: setup
	.venv/bin/lahio check

serve: setup
	.venv/bin/lahio serve

# Two processes, one per core; a test file runs whole in one of them (its fixtures are built once).
test: setup-test
	.venv/bin/python -m pytest -n 2 --dist loadfile

# The gallery of what residents see (docs/screenshots/): every page type in fi, ar and selko at
# 360x800 and 1280x900, drawn with Debian's Chromium from the built sample, and every printed
# product in fi and ar at 100 dpi (docs/screenshots/print/). Commit the pictures.
screenshots: setup-test site
	.venv/bin/python tools/screenshots.py site docs/screenshots
	.venv/bin/python tools/print_renders.py site docs/screenshots/print

# Build speed and scale against Hugo and a hand-made MkDocs site (minutes; not a test).
bench:
	bash tools/setup.sh --bench
	.venv/bin/python -m bench.run
	.venv/bin/python -m bench.full_build --sizes sample --stages
	.venv/bin/python -m bench.serve_reload

clean:
	rm -rf site .lahio-cache
