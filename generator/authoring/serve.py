"""``lahio serve``: a local preview that rebuilds on every change and reloads the browser.

Only the languages being looked at are built: the default language (or ``--lang``) at start,
another one the first time a page of it is opened. Each rebuild goes through the same
functions as ``lahio build`` (load and validate, :func:`~generator.build.build_views`, the site
engine) into ``.lahio-cache/serve/``, so ``site/`` is never touched. Print and channels are
not rebuilt; ``lahio build`` makes them.

The reload script is added to HTML responses as they are served, never to files on disk.
The page asks ``/__lahio_version`` every half second and reloads when the number changes.
A data error does not stop the server: its located messages are printed in the terminal and
shown (escaped) in place of every page until the file is fixed.
"""

from __future__ import annotations

import html
import http.server
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import DataError, LahioError

#: What the preview watches, relative to the project root.
WATCHED = ("areas", "content", "theme", "mkdocs.yml")
#: Changes arriving closer together than this are one rebuild (editors write several files).
DEBOUNCE_S = 0.15
VERSION_PATH = "/__lahio_version"

RELOAD_SCRIPT = """<script>/* lahio serve: reload when the preview is rebuilt */
(function(){var v=null;function poll(){fetch("%s",{cache:"no-store"}).then(function(r){
return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(
function(){}).finally(function(){setTimeout(poll,500)})}poll()})();</script>""" % VERSION_PATH


@dataclass
class BuildResult:
    """The outcome of one preview build."""

    ok: bool
    seconds: float
    languages: tuple[str, ...]
    message: str = ""


class Preview:
    """Builds the preview of a project and keeps track of its state.

    Args:
        root: the project folder.
        base_url: the address the preview is served at (``http://127.0.0.1:8000/``).
        lang: the language built first (default: the site's first language).
        log: where progress lines go (the terminal).
    """

    def __init__(self, root: Path, base_url: str, lang: str | None = None,
                 log: Callable[[str], None] = print) -> None:
        self.root = root.resolve()
        self.base_url = base_url
        self.cache = self.root / ".lahio-cache" / "serve"
        self.live = self.cache / "site"
        self.log = log
        self.lock = threading.RLock()
        self.version = 0
        self.error: str | None = None
        self.last: BuildResult | None = None
        self.codes: tuple[str, ...] = ()
        self.languages: list[str] = [lang] if lang else []

    def build(self, extra: str | None = None) -> BuildResult:
        """Rebuild the languages being previewed (plus ``extra``); never raises for bad data."""
        from ..build import build_views
        from ..context import BuildContext, build_date
        from ..data.load import load
        from ..publish import build_lock
        from ..i18n import Translator
        from ..site.stage import ENGINE

        # The project's build lock too: a preview rebuild and ``lahio build`` share
        # .lahio-cache/work, so one waits for the other (saying so).
        with self.lock, build_lock(self.root, say=self.log):
            started = time.perf_counter()
            try:
                config, programme = load(self.root, self.base_url)
                self.codes = config.codes
                if not self.languages:
                    self.languages = [config.default.code]
                unknown = [c for c in self.languages if c not in config.codes]
                if unknown:
                    raise LahioError(f"--lang {unknown[0]}: not a language of this site; "
                                     f"write one of {', '.join(config.codes)}")
                if extra and extra not in self.languages:
                    self.languages.append(extra)
                langs = tuple(self.languages)
                by_code = {lg.code: lg for lg in config.languages}
                translators = {c: Translator(by_code[c]) for c in langs}
                fresh = self.cache / f"build-{os.getpid()}"
                shutil.rmtree(fresh, ignore_errors=True)
                fresh.mkdir(parents=True)
                ctx = BuildContext(self.root, config, programme, build_date(), fresh, None,
                                   translators, log=lambda _m: None)
                build_views(ctx)
                work = self.cache / "work"
                # One language builds in this process (no fork: fastest for one); several
                # build in parallel processes, as in lahio build.
                site = ENGINE(config, work, 1 if len(langs) == 1 else None, None)
                try:
                    for c in langs:
                        site.render(ctx.trees[c], translators[c], fresh)
                    warnings = site.finish()
                finally:
                    site.close()
                self._swap_in(fresh, langs)
                for warning in warnings:
                    self.log(f"warning: {warning}")
                self.error = None
                result = BuildResult(True, time.perf_counter() - started, langs)
            except DataError as exc:
                result = self._failed(exc.report(), started)
            except LahioError as exc:
                result = self._failed(f"lahio: {exc}", started)
            except Exception:  # noqa: BLE001 - a preview shows the bug instead of dying
                result = self._failed(traceback.format_exc(), started)
            self.version += 1
            self.last = result
            return result

    def _failed(self, message: str, started: float) -> BuildResult:
        self.error = message
        return BuildResult(False, time.perf_counter() - started, tuple(self.languages), message)

    def _swap_in(self, fresh: Path, langs: tuple[str, ...]) -> None:
        """Move each freshly built language into the served folder (a rename, not a copy)."""
        self.live.mkdir(parents=True, exist_ok=True)
        for code in langs:
            target = self.live / code
            old = self.cache / f"old-{code}"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            (fresh / code).rename(target)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)

    def needs_language(self, code: str) -> bool:
        """True when ``code`` is a language of the site that is not built yet."""
        return code in self.codes and code not in self.languages


def error_page(message: str) -> bytes:
    """The page shown instead of the site while the data has problems (escaped).

    Like the messages, the page is in the terminal's language (see :func:`message_language`).
    """
    from ..messages import err, localize, message_language

    lang = message_language()
    title = html.escape(localize(err("lahio serve: problems in the data"), lang))
    heading = html.escape(localize(err("The preview cannot be built"), lang))
    advice = html.escape(localize(err("Fix the lines below and save; this page reloads by "
                                      "itself."), lang))
    return (f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{title}</title></head><body style=\"font-family:"
            f"sans-serif;margin:1rem;max-width:60rem\"><h1>{heading}</h1>"
            f"<p>{advice}</p>"
            f"<pre style=\"white-space:pre-wrap;background:#fff3f3;padding:1rem;"
            f"border-left:4px solid #b00020\">{html.escape(message)}</pre>"
            f"{RELOAD_SCRIPT}</body></html>").encode("utf-8")


def inject_reload(page: bytes) -> bytes:
    """``page`` with the reload script before ``</body>`` (or at the end)."""
    script = RELOAD_SCRIPT.encode("utf-8")
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def make_handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    """A request handler serving the preview folder with the reload script added."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, directory=str(preview.live), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the terminal shows rebuilds, not every request

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            path = unquote(urlsplit(self.path).path)
            if path == VERSION_PATH:
                self._send(str(preview.version).encode(), "text/plain; charset=utf-8")
                return
            if path == "/":
                lang = preview.languages[0] if preview.languages else "fi"
                self.send_response(302)
                self.send_header("Location", f"/{lang}/")
                self.end_headers()
                return
            first = path.strip("/").split("/", 1)[0]
            if preview.needs_language(first):
                preview.log(f"building {first} (first opened)…")
                result = preview.build(extra=first)
                _report(preview, result)
            if preview.error is not None and (path.endswith("/") or path.endswith(".html")):
                self._send(error_page(preview.error), "text/html; charset=utf-8", 500)
                return
            local = Path(self.translate_path(path))
            if local.is_dir():
                if not path.endswith("/"):
                    super().do_GET()  # the standard redirect to the slash form
                    return
                local = local / "index.html"
            if local.suffix == ".html" and local.is_file():
                self._send(inject_reload(local.read_bytes()), "text/html; charset=utf-8")
                return
            super().do_GET()

        def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _report(preview: Preview, result: BuildResult) -> None:
    langs = ", ".join(result.languages)
    if result.ok:
        preview.log(f"rebuilt {langs} in {result.seconds:.2f} s")
    else:
        preview.log(result.message)
        preview.log(f"the preview shows these problems until they are fixed "
                    f"({result.seconds:.2f} s)")


class Watcher:
    """Rebuilds the preview after changes under the watched paths (debounced)."""

    def __init__(self, preview: Preview) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self.preview = preview
        self.changed = threading.Event()
        self.stopping = threading.Event()
        root = preview.root
        watched = [root / w for w in WATCHED]
        outer = self

        class OnChange(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return  # reading a file is not a change
                paths = [event.src_path, getattr(event, "dest_path", "") or ""]
                for raw in paths:
                    if not raw:
                        continue
                    p = Path(os.fsdecode(raw))
                    # Editors' swap and backup files are not content.
                    if p.name.startswith((".", "#")) or p.name.endswith(("~", ".swp", ".tmp")):
                        continue
                    if any(p == w or w in p.parents for w in watched):
                        outer.changed.set()
                        return

        self.observer = Observer()
        handler = OnChange()
        for path in watched:
            if path.is_dir():
                self.observer.schedule(handler, str(path), recursive=True)
        # mkdocs.yml is a file: watch the project folder itself, not its subfolders.
        self.observer.schedule(handler, str(root), recursive=False)
        self.thread = threading.Thread(target=self._loop, name="lahio-rebuild", daemon=True)

    def start(self) -> None:
        """Start watching and rebuilding."""
        self.observer.start()
        self.thread.start()

    def _loop(self) -> None:
        # Bounded waits: the loop notices stop() within a fraction of a second.
        while not self.stopping.is_set():
            if not self.changed.wait(timeout=0.2):
                continue
            # Let a burst of saves settle, then build once.
            while self.changed.is_set() and not self.stopping.is_set():
                self.changed.clear()
                time.sleep(DEBOUNCE_S)
            if self.stopping.is_set():
                break
            _report(self.preview, self.preview.build())

    def stop(self) -> None:
        """Stop watching; waits (bounded) for the threads to end."""
        self.stopping.set()
        self.observer.stop()
        self.observer.join(timeout=5)
        self.thread.join(timeout=30)


class Server:
    """The preview server: HTTP on 127.0.0.1 plus the watcher. Usable from tests.

    Args:
        root: the project folder.
        port: the port (0 chooses a free one; see :attr:`port`).
        lang: the language built first.
        log: where terminal lines go.
    """

    def __init__(self, root: Path, port: int = 8000, lang: str | None = None,
                 log: Callable[[str], None] = print) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _placeholder_handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.preview = Preview(root, self.url, lang, log)
        self.httpd.RequestHandlerClass = make_handler(self.preview)
        self.httpd.daemon_threads = True
        self.watcher = Watcher(self.preview)
        self._thread: threading.Thread | None = None

    def start(self, background: bool = True) -> BuildResult:
        """Build once, then watch and serve (in a thread when ``background``)."""
        result = self.preview.build()
        _report(self.preview, result)
        self.watcher.start()
        if background:
            self._thread = threading.Thread(target=self.httpd.serve_forever,
                                            kwargs={"poll_interval": 0.2}, daemon=True)
            self._thread.start()
        return result

    def serve_forever(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        """Stop serving and watching."""
        self.watcher.stop()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
        self.httpd.server_close()


class _placeholder_handler(http.server.BaseHTTPRequestHandler):  # noqa: N801
    """Replaced before the first request; needed to bind the socket first (port 0)."""


def serve(root: Path, port: int = 8000, lang: str | None = None) -> int:
    """Run the preview until Ctrl-C; returns the exit status.

    Raises:
        LahioError: the port is taken.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        server = Server(root, port, lang, log=lambda m: print(m, flush=True))
    except OSError as exc:
        raise LahioError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another "
                         "port with --port 8001") from exc
    first = server.preview.languages[0] if server.preview.languages else "fi"
    result = server.start(background=False)
    shown = result.languages[0] if result.languages else first
    print(f"Preview: {server.url}{shown}/ — rebuilt on every change to areas/, content/, "
          "theme/ and mkdocs.yml. Other languages are built when you open them. "
          "Ctrl-C stops.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
    finally:
        server.stop()
    return 0
