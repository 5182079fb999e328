"""Safety under faults and hostile files: what a build writes, where, when and how completely.

Each test reproduces an attack or a fault (a poisoned short-link registry, an output folder that
holds a user's files, a symlink to a system file, two builds at once, a build killed at any
moment, a full disk) and checks that it is refused or survived: no file outside the site, the
live site unchanged until the swap, no user file deleted, a complete site at every instant.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import outputs, publish
from generator.build import build
from generator.errors import DataError, LahioError

from .conftest import ROOT, copy_project

LAHIO = str(Path(sys.executable).with_name("lahio"))


def quiet(_message: str) -> None:
    pass


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def small_project(dest: Path) -> Path:
    """The sample with one area (every language): a site-only build takes about a second."""
    project = copy_project(dest)
    shutil.rmtree(project / "areas" / "neulamaki")
    return project


@pytest.fixture(scope="module")
def built_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = small_project(tmp_path_factory.mktemp("small") / "p")
    build(project, only=("site",), log=quiet)
    return project


@pytest.fixture
def small(built_small: Path, tmp_path: Path) -> Path:
    """A copy of the small project with its site built (``site`` → ``.site.1``)."""
    dest = tmp_path / "p"
    shutil.copytree(built_small, dest, symlinks=True)
    return dest


def rename_area(project: Path, word: str) -> None:
    path = project / "areas" / "mannisto" / "area.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: {fi: ", f"name: {{fi: {word} ", 1), encoding="utf-8")


def run(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([LAHIO, *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=300, **kw)


# ------------------------------------------------------------------------------------------
# 1. The short-link registry is no write path; nothing is written through a shared link
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["../fi/mannisto", "/tmp/evil", "../../../x", "AB12", "x",
                                  "abcdefghijklm", "ab c", "q/../..", ""])
def test_bad_short_link_codes_are_located_errors(small: Path, code: str) -> None:
    registry = small / "qr-codes.yaml"
    text = registry.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    registry.write_text(text + f'  - {{code: "{code}", area: mannisto, channel: poster, '
                               f"lang: fi, target: fi/mannisto/}}\n", encoding="utf-8")
    live = tree(small / "site")
    with pytest.raises(DataError) as caught:
        build(small, log=quiet)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"qr-codes.yaml:{line}: codes[") and ".code: " in m
               and "3 to 12 lower-case letters" in m for m in messages), messages
    assert tree(small / "site") == live


def test_a_duplicate_code_is_a_located_error(small: Path) -> None:
    registry = small / "qr-codes.yaml"
    text = registry.read_text(encoding="utf-8")
    first = text.split('code: "', 1)[1].split('"', 1)[0]
    line = text.count("\n") + 1
    registry.write_text(text + f'  - {{code: "{first}", area: mannisto, channel: zzz, '
                               f"lang: fi, target: fi/mannisto/}}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build(small, log=quiet)
    assert [p.line for p in caught.value.problems] == [line]
    assert "used twice" in str(caught.value.problems[0])


def test_the_poisoned_page_of_the_issue_cannot_happen(small: Path) -> None:
    """A registry entry aiming at a live page is refused, the live page is never touched,
    and once the registry is fixed two rebuilds equal a cold build."""
    registry = small / "qr-codes.yaml"
    clean = registry.read_text(encoding="utf-8")
    page = small / "site" / "fi" / "mannisto" / "index.html"
    before = page.read_bytes()
    registry.write_text(clean + '  - {code: "../fi/mannisto", area: mannisto, channel: x, '
                                "lang: fi, target: fi/mannisto/}\n", encoding="utf-8")
    with pytest.raises(DataError):
        build(small, log=quiet)
    assert page.read_bytes() == before
    registry.write_text(clean, encoding="utf-8")
    build(small, log=quiet)
    build(small, log=quiet)
    cold = small_project(small.parent / "cold")
    build(cold, log=quiet)
    assert tree(small / "site") == tree(cold / "site")
    assert b'http-equiv="refresh"' not in page.read_bytes()


@pytest.mark.parametrize("rel", ["../x.html", "/etc/x", "a/../../x", "..", ".", "", "a\0b"])
def test_the_writer_refuses_paths_outside_the_build_folder(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(outputs.OutputError, match="outside the build folder"):
        outputs.write(out, rel, "x")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_writer_never_writes_through_a_hard_link(tmp_path: Path) -> None:
    live, out = tmp_path / "live", tmp_path / "out"
    (live / "fi").mkdir(parents=True)
    (live / "fi" / "index.html").write_text("live page", encoding="utf-8")
    (out / "fi").mkdir(parents=True)
    os.link(live / "fi" / "index.html", out / "fi" / "index.html")
    outputs.write(out, "fi/index.html", "new page")
    assert (live / "fi" / "index.html").read_text(encoding="utf-8") == "live page"
    assert (out / "fi" / "index.html").read_text(encoding="utf-8") == "new page"


def test_a_full_disk_is_one_located_line_and_the_site_stays(small: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    live = tree(small / "site")
    rename_area(small, "Täysi")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_open = open

    def open_full(path, mode="r", *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if "x" in mode:
            full()
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr("builtins.open", open_full)
    with pytest.raises(LahioError) as caught:
        build(small, only=("site",), log=quiet)
    monkeypatch.undo()
    message = str(caught.value)
    assert message.startswith("site/") and "No space left on device" in message, message
    assert "\n" not in message and "previous site is unchanged" in message
    assert tree(small / "site") == live
    assert not list(small.glob(".site.tmp-*"))


# ------------------------------------------------------------------------------------------
# 2. --out never deletes what a build did not make
# ------------------------------------------------------------------------------------------


def test_out_refuses_a_folder_of_user_files(small: Path, tmp_path: Path) -> None:
    user = tmp_path / "u"
    (user / "data").mkdir(parents=True)
    (user / "data" / "important.txt").write_text("keep me", encoding="utf-8")
    result = run(["build", "--only", "site", "--out", str(user)], small)
    assert result.returncode == 1
    assert "was not made by lahio build" in result.stderr
    assert "Traceback" not in result.stderr
    assert (user / "data" / "important.txt").read_text(encoding="utf-8") == "keep me"


def test_out_made_by_a_build_is_rebuilt_and_its_neighbours_kept(small: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "u"
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    for _ in range(2):
        build(small, out, only=("site",), log=quiet)
    assert out.is_symlink() and (out / "fi" / "mannisto" / "index.html").is_file()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("out", [".", "..", "areas", "areas/mannisto", "content", "theme/x"])
def test_out_may_not_hold_or_lie_in_the_input(small: Path, out: str) -> None:
    before = tree(small / "areas")
    result = run(["build", "--only", "site", "--out", out], small)
    assert result.returncode == 1, result.stderr
    assert "output folder may not" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(small / "areas") == before
    assert not list(small.parent.glob("*.spare"))


# ------------------------------------------------------------------------------------------
# 3. Symlinks: nothing from outside the project is read
# ------------------------------------------------------------------------------------------


def test_a_symlinked_page_outside_the_project_is_refused(small: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Salaisuus\n\nTOP-SECRET-LINE\n", encoding="utf-8")
    (small / "content" / "fi" / "ohje.md").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    shutil.copytree(small / "areas" / "mannisto", outside)
    (small / "areas" / "toinen").symlink_to(outside, target_is_directory=True)
    (small / "theme" / "evil.css").symlink_to("/etc/passwd")
    with pytest.raises(DataError) as caught:
        build(small, only=("site",), log=quiet)
    found = {p.file: str(p) for p in caught.value.problems}
    assert set(found) == {"content/fi/ohje.md", "areas/toinen", "theme/evil.css"}, found
    assert all("outside the project" in m for m in found.values())
    assert not any("TOP-SECRET-LINE" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (small / "site").rglob("*.html"))


def test_a_symlink_inside_the_project_is_followed(small: Path) -> None:
    (small / "content" / "fi" / "ohje.md").symlink_to("osallistu.md")
    build(small, only=("site",), log=quiet)
    assert (small / "site" / "fi" / "ohje" / "index.html").is_file()


def test_a_pipe_among_the_inputs_is_an_error_not_a_hang(small: Path) -> None:
    os.mkfifo(small / "areas" / "mannisto" / "events.yaml.fifo")
    start = time.perf_counter()
    with pytest.raises(DataError) as caught:
        build(small, only=("site",), log=quiet)
    assert time.perf_counter() - start < 10
    assert [p.file for p in caught.value.problems] == ["areas/mannisto/events.yaml.fifo"]


# ------------------------------------------------------------------------------------------
# 4. One build at a time; the newer input wins
# ------------------------------------------------------------------------------------------


def test_a_second_build_waits_for_the_first_and_publishes_the_newer_input(small: Path) -> None:
    with publish.build_lock(small):  # a build in progress (this process holds the lock)
        proc = subprocess.Popen([LAHIO, "build", "--only", "site"], cwd=small,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert proc.poll() is None, "the second build did not wait"
        rename_area(small, "Uudempi")  # the input changes while it waits
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"waiting for another build to finish (pid {os.getpid()})" in err + out
    page = (small / "site" / "fi" / "mannisto" / "index.html").read_text(encoding="utf-8")
    assert "Uudempi" in page


def test_two_builds_at_once_both_succeed_and_the_last_input_is_published(small: Path) -> None:
    rename_area(small, "Ensimmäinen")
    first = subprocess.Popen([LAHIO, "build", "--only", "site", "-q"], cwd=small,
                             stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    rename_area(small, "Toinen")
    second = subprocess.Popen([LAHIO, "build", "--only", "site", "-q"], cwd=small,
                              stderr=subprocess.PIPE, text=True)
    for proc in (first, second):
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    page = (small / "site" / "fi" / "mannisto" / "index.html").read_text(encoding="utf-8")
    assert "Toinen" in page


def test_the_lock_is_released_when_a_build_dies(small: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from generator.publish import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)"),
        str(small)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    proc.kill()
    proc.communicate()
    start = time.perf_counter()
    with publish.build_lock(small):
        assert time.perf_counter() - start < 1


# ------------------------------------------------------------------------------------------
# 5. A complete site at every instant
# ------------------------------------------------------------------------------------------


def test_an_older_site_folder_is_replaced_by_the_link(tmp_path: Path) -> None:
    project = small_project(tmp_path / "p")
    (project / "site" / "fi").mkdir(parents=True)
    (project / "site" / "index.html").write_text("vanha", encoding="utf-8")
    build(project, only=("site",), log=quiet)
    assert (project / "site").is_symlink()
    assert "vanha" not in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert (project / ".site.spare" / "index.html").read_text(encoding="utf-8") == "vanha"


def test_leftovers_of_dead_builds_are_cleaned_and_the_spare_kept(small: Path) -> None:
    build(small, only=("site",), log=quiet)  # now site → .site.2, .site.spare exists
    spare = tree(small / ".site.spare")
    for name in (".site.tmp-99999", ".site.old-99999", ".site.7"):
        (small / name / "fi").mkdir(parents=True)
    (small / ".site.link-99999").symlink_to(".site.7")
    build(small, only=("site",), log=quiet)
    names = sorted(p.name for p in small.iterdir() if p.name.startswith(".site"))
    live = os.readlink(small / "site")
    assert names == sorted([".site.spare", live]), names
    assert tree(small / ".site.spare") != {}  # the spare is a whole site
    assert set(tree(small / ".site.spare")) == set(spare)


def _files(site: Path) -> list[str]:
    """The site's files, search-index pieces by kind and count: Pagefind names them by a hash
    of what they hold, so an edited area name gives them new names but not new numbers."""
    return sorted(re.sub(r"(/pagefind/.*?)_?[0-9a-f]{7,}(\.pf_\w+)$", r"\1#\2",
                         p.relative_to(site).as_posix())
                  for p in site.rglob("*") if p.is_file())


def _complete(site: Path, expected: list[str]) -> str | None:
    """What is wrong with ``site`` (None: it is a whole site)."""
    if not (site / "index.html").is_file():
        return "no index.html"
    files = _files(site)
    if files != expected:
        return f"files differ: {sorted(set(files) ^ set(expected))[:5]} ({len(files)} files)"
    return None


def _workers_of(project: Path) -> list[int]:
    """Processes still running a build of ``project`` (the build and its forked workers)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            continue
        if cwd == str(project) and state != "Z":
            found.append(int(pid))
    return found


def test_a_build_killed_at_twenty_moments_always_leaves_a_whole_site(small: Path) -> None:
    site = small / "site"
    expected = _files(site)
    # How long a build of one edit takes here, to spread the kills over it.
    rename_area(small, "Mitta")
    start = time.perf_counter()
    assert run(["build", "--only", "site", "-q"], small).returncode == 0
    duration = time.perf_counter() - start
    problems: list[str] = []
    stop = threading.Event()

    def watch() -> None:  # a web server reading all the time
        while not stop.is_set():
            if not (site / "index.html").is_file():
                problems.append("site/index.html missing during a build")
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(20):
            rename_area(small, f"K{n}")
            proc = subprocess.Popen([LAHIO, "build", "--only", "site", "-q"], cwd=small,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(duration * (n + 0.5) / 20)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            wrong = _complete(site, expected)
            if wrong:
                problems.append(f"killed at {n}: {wrong}")
    finally:
        stop.set()
        watcher.join()
    assert not problems, problems
    deadline = time.monotonic() + 5
    while _workers_of(small) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _workers_of(small), "workers outlived the killed build"
    # The next build cleans up after all of them and publishes the last input.
    assert run(["build", "--only", "site", "-q"], small).returncode == 0
    page = (site / "fi" / "mannisto" / "index.html").read_text(encoding="utf-8")
    assert "K19" in page
    leftovers = sorted(p.name for p in small.iterdir() if p.name.startswith(".site."))
    assert leftovers == sorted([os.readlink(site), ".site.spare"]), leftovers
    assert _complete(site, expected) is None


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_end_with_one_line(small: Path, sig: int) -> None:
    live = tree(small / "site")
    rename_area(small, "Keskeytetty")
    proc = subprocess.Popen([LAHIO, "build", "--only", "site"], cwd=small,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (small / f".site.tmp-{proc.pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the build is under way
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.fail("the build finished before the signal; make the project bigger")
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("lahio:")]
    assert lines == ["lahio: " + ("stopped (SIGTERM)" if sig == signal.SIGTERM
                                  else "interrupted") + "; the previous site is unchanged"], err
    assert proc.returncode == (143 if sig == signal.SIGTERM else 130)
    assert tree(small / "site") == live
    assert not list(small.glob(".site.tmp-*"))


# ------------------------------------------------------------------------------------------
# 7. A long unbroken word never stalls print
# ------------------------------------------------------------------------------------------


def test_a_100000_character_word_prints_in_the_usual_time_with_a_warning(small: Path) -> None:
    import pypdfium2

    start = time.perf_counter()
    build(small, only=("print",), log=quiet)
    usual = time.perf_counter() - start
    path = small / "areas" / "mannisto" / "budget.yaml"
    text = path.read_text(encoding="utf-8")
    word = "https://example.org/" + "a1B2c3D4" * 12_500
    path.write_text(text.replace("title: {fi: Männistön pallokentän aidat",
                                 f"title: {{fi: \"Pallokenttä {word}\"", 1), encoding="utf-8")
    start = time.perf_counter()
    ctx = build(small, only=("print",), log=quiet)
    took = time.perf_counter() - start
    assert took < 3 * usual + 20, f"{took:.1f} s with the long word, {usual:.1f} s without"
    warned = [w for w in ctx.warnings if "was broken across lines" in w]
    assert warned and all(w.startswith("print/mannisto/") for w in warned), ctx.warnings
    pdfs = sorted((small / "site" / "print" / "mannisto" / "fi").glob("*.pdf"))
    assert pdfs
    for path in pdfs:
        pdf = pypdfium2.PdfDocument(str(path))
        assert len(pdf) >= 1, path.name
        pdf.close()


def test_a_product_that_stalls_is_stopped_reported_and_tried_again(
        warm_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout the engine cannot finish is stopped after the limit: the build ends with a
    warning naming the product, writes no PDF for it, and the next build tries it again."""
    import generator.print as print_stage
    from generator.render import pdf as pdf_engine

    real = pdf_engine.render_document

    def stalling(html: str, *args: object, **kwargs: object) -> object:
        # The engine stuck on this text in Finnish, as on a pathological word (the other
        # languages show the Finnish summary too, but need not all wait for the limit here).
        while "STALL" in html and ' lang="fi"' in html[:400]:
            time.sleep(0.05)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(print_stage, "WORKERS", 1)  # in this process: the alarm is ours
    monkeypatch.setattr(print_stage, "LAYOUT_SECONDS", 2.0)
    monkeypatch.setattr(pdf_engine, "render_document", stalling)
    path = warm_project / "areas" / "mannisto" / "area.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Männistö on lähes", "STALL Männistö on lähes", 1),
                    encoding="utf-8")
    ctx = build(warm_project, only=("print",), log=quiet)
    stopped = [w for w in ctx.warnings if "was not made" in w]
    assert any(w.startswith("print/mannisto/fi/handout-a4.pdf: ") for w in stopped), ctx.warnings
    for warning in stopped:
        rel = warning.split(":", 1)[0]
        assert "longer than 2 s" in warning and "areas/mannisto/" in warning, warning
        assert not (warm_project / "site" / rel).exists(), rel
    folder = warm_project / "site" / "print" / "mannisto" / "fi"
    assert (folder / "ballot-a4.pdf").is_file()  # the products that made it are there
    # Without the stall, the next build makes the stopped products.
    monkeypatch.setattr(pdf_engine, "render_document", real)
    path.write_text(text, encoding="utf-8")
    ctx = build(warm_project, only=("print",), log=quiet)
    assert not [w for w in ctx.warnings if "was not made" in w]
    for warning in stopped:
        assert (warm_project / "site" / warning.split(":", 1)[0]).is_file()
