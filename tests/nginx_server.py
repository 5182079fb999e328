"""A real nginx serving a built site on 127.0.0.1 with the configuration the build wrote.

Runs as an unprivileged process: as root, the master drops its workers to ``nobody``; else
everything runs as the current user. Its prefix, temp folders, pid file and logs are its own.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


@dataclass
class Server:
    """A running nginx: its port and its access log."""

    port: int
    access_log: Path
    error_log: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(site: Path, site_url: str) -> Iterator[Server]:
    """Serve ``site`` (built for ``site_url``) at ``http://127.0.0.1:<port><path of site_url>``.

    The site is copied under a document root the way an admin deploys it (``<root>/lahiot/``),
    into a folder the workers may read.
    """
    work = Path(tempfile.mkdtemp(prefix="lahio-nginx-"))
    try:
        os.chmod(work, 0o755)
        docroot = work / "www"
        path = urlsplit(site_url).path.strip("/")
        dest = docroot / path if path else docroot
        shutil.copytree(site, dest, symlinks=False)
        for sub in ("temp", "logs"):
            (work / sub).mkdir()
        user = ""
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            for sub in ("temp",):
                os.chown(work / sub, nobody.pw_uid, nobody.pw_gid)
            user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};"
            for folder, _dirs, files in os.walk(docroot):
                os.chmod(folder, 0o755)
                for name in files:
                    os.chmod(os.path.join(folder, name), 0o644)
        port = free_port()
        temp = work / "temp"
        conf = work / "nginx.conf"
        conf.write_text(f"""
{user}
worker_processes 1;
error_log {work}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {work}/logs/access.log combined;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {docroot};
        include {dest}/_server/nginx.conf;
    }}
}}
""", encoding="utf-8")
        cmd = [NGINX, "-p", str(work), "-c", str(conf), "-g",
               f"daemon off; pid {work}/nginx.pid;"]
        check = subprocess.run([*cmd, "-t"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejects the configuration:\n{check.stderr}")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port),
                                                                             timeout=0.2):
                    break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: "
                                       + proc.stderr.read().decode(errors="replace"))
                time.sleep(0.05)
            yield Server(port, work / "logs" / "access.log", work / "logs" / "error.log")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout:
                proc.stdout.close()
            if proc.stderr:
                proc.stderr.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
