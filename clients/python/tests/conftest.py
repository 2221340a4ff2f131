"""Starts a real all-in-one RnnLab server (`rnnlab serve`: silo, API and worker on SQLite) for the tests.

The server is the CLI built by `dotnet build` (RNNLAB_TEST_CLI overrides the path of rnnlab.dll); it gets a
free port, a temporary database and one full and one read-only API key.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator, List

import pytest

import rnnlab

REPO = Path(__file__).resolve().parents[3]
WRITE_KEY = "py-write-6f3e1a"
READ_KEY = "py-read-2c9b74"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, address: str, process: subprocess.Popen, log: Path) -> None:
        self.address = address
        self.process = process
        self.log = log

    def client(self, api_key: str = "") -> rnnlab.Client:
        return rnnlab.Client(self.address, api_key=api_key)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    cli = Path(os.environ.get("RNNLAB_TEST_CLI", REPO / "src/RnnLab.Cli/bin/Release/net10.0/rnnlab.dll"))
    if not cli.is_file():
        pytest.fail(f"{cli} does not exist: build the solution first (dotnet build RnnLab.sln -c Release)")
    folder = Path(tempfile.mkdtemp(prefix="rnnlab-python-"))
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RNNLAB_")}
    environment.update({
        "RNNLAB_API__KEYS__0": WRITE_KEY,
        "RNNLAB_API__READKEYS__0": READ_KEY,
        "RNNLAB_API__ALLOWANONYMOUSREADS": "true",
        "RNNLAB_BENCHMARKTASKS": "true",  # the tests sweep the analytic `quadratic` task
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    })
    log = folder / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            ["dotnet", str(cli), "serve", "--port", str(port), "--db", str(folder / "rnnlab.db"), "--no-dashboard", "--slots", "2"],
            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environment, cwd=folder,
        )
    started = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 120
        with started.client(READ_KEY) as probe:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"the server exited with {process.returncode}:\n{started.tail()}")
                try:
                    probe.sweeps()
                    break
                except rnnlab.UnavailableError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"the server did not answer within 120 s:\n{started.tail()}")
                    time.sleep(0.5)
        yield started
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


class DroppingProxy:
    """A TCP proxy to the server whose open connections can be cut, as a flaky network would."""

    def __init__(self, port: int) -> None:
        self._upstream = ("127.0.0.1", port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        self.drops = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._upstream)
            with self._lock:
                self._sockets += [downstream, upstream]
            threading.Thread(target=self._pump, args=(downstream, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, downstream), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def drop(self) -> None:
        """Cuts every open connection; new ones are still accepted."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for end in sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
        self.drops += 1

    def close(self) -> None:
        self._listener.close()
        self.drop()


@pytest.fixture
def proxy(server: Server) -> Iterator[DroppingProxy]:
    port = int(server.address.rsplit(":", 1)[1])
    dropping = DroppingProxy(port)
    yield dropping
    dropping.close()
