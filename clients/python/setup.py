"""Builds the rnnlab package; its gRPC stubs are generated here from the server's .proto files.

The stubs are never kept in git: `build_py` compiles src/RnnLab.Contracts/Protos (or the copy an sdist
carries in protos/) into rnnlab/_pb inside the build folder, with grpc_tools when it is installed and
otherwise with protoc and grpc_python_plugin (Debian: protobuf-compiler, protobuf-compiler-grpc).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
PACKAGE = "rnnlab/_pb"


def find_protos() -> Path:
    candidates = [os.environ.get("RNNLAB_PROTOS"), HERE / "protos", HERE.parent.parent / "src" / "RnnLab.Contracts" / "Protos"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "sweep_service.proto").is_file():
            return Path(candidate)
    raise SystemExit("rnnlab: the .proto files were not found; set RNNLAB_PROTOS to src/RnnLab.Contracts/Protos")


def client_proto(text: str, local: set[str]) -> str:
    """The proto as the client compiles it: local imports under rnnlab/_pb, no HTTP rules.

    The google.api.http rules only steer the server's JSON transcoding; dropping them spares the client
    google/api/annotations.proto, which Debian does not package for Python.
    """
    text = text.replace('import "google/api/annotations.proto";\n', "")
    text = re.sub(r"\s*option \(google\.api\.http\) = \{.*?\};", "", text, flags=re.DOTALL)
    for name in local:
        text = text.replace(f'import "{name}";', f'import "{PACKAGE}/{name}";')
    return text


def compiler() -> list[str]:
    try:
        import grpc_tools  # noqa: F401
        from grpc_tools import protoc  # noqa: F401

        include = Path(grpc_tools.__file__).parent / "_proto"
        return [sys.executable, "-m", "grpc_tools.protoc", f"-I{include}"]
    except ImportError:
        pass
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if not protoc or not plugin:
        raise SystemExit(
            "rnnlab: generating the gRPC stubs needs grpcio-tools, or protoc and grpc_python_plugin "
            "(Debian: apt-get install protobuf-compiler protobuf-compiler-grpc)"
        )
    command = [protoc, f"--plugin=protoc-gen-grpc_python={plugin}"]
    for include in (Path(protoc).resolve().parent.parent / "include", Path("/usr/include")):
        if (include / "google" / "protobuf" / "struct.proto").is_file():
            command.append(f"-I{include}")
            break
    return command


def generate(output: Path) -> None:
    protos = find_protos()
    sources = sorted(protos.glob("*.proto"))
    local = {source.name for source in sources}
    with tempfile.TemporaryDirectory() as staging:
        root = Path(staging)
        (root / PACKAGE).mkdir(parents=True)
        for source in sources:
            (root / PACKAGE / source.name).write_text(client_proto(source.read_text(encoding="utf-8"), local), encoding="utf-8")
        (output / PACKAGE).mkdir(parents=True, exist_ok=True)
        command = compiler() + [
            f"-I{root}",
            f"--python_out={output}",
            f"--pyi_out={output}",
            f"--grpc_python_out={output}",
            *[f"{PACKAGE}/{source.name}" for source in sources],
        ]
        subprocess.run(command, check=True)
    (output / PACKAGE / "__init__.py").write_text('"""gRPC stubs generated from src/RnnLab.Contracts/Protos at build time."""\n')


class BuildWithStubs(build_py):
    def run(self) -> None:
        super().run()
        generate(Path(self.build_lib))


class SdistWithProtos(sdist):
    """An sdist carries the .proto files, so a wheel builds from it anywhere."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        target = Path(base_dir) / "protos"
        target.mkdir(exist_ok=True)
        for source in find_protos().glob("*.proto"):
            shutil.copy2(source, target / source.name)


setup(cmdclass={"build_py": BuildWithStubs, "sdist": SdistWithProtos})
