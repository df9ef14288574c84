#!/usr/bin/env python3
"""The Dockerfile is a thin wrapper around what CI runs: Debian bookworm, the
one install script, the Makefile's build, `make bench` by default with the
results folder as a volume. There is no Docker engine here, so this parses
the Dockerfile, .ci/run, the Makefile and the README and checks that they
name the same install script and build commands.
Usage: dockerfile_matches_ci.py SOURCE_DIR"""
import json
import pathlib
import re
import shlex
import sys

root = pathlib.Path(sys.argv[1])
errors = []


def instructions(text):
    """(INSTRUCTION, argument) pairs, line continuations joined, comments dropped."""
    out, pending = [], ""
    for line in text.splitlines():
        if not pending and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line = pending + line
        pending = ""
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def commands(shell_text):
    """The simple commands of a shell snippet, split on &&, ; and newlines."""
    return [shlex.split(c) for c in re.split(r"&&|;|\n", shell_text) if c.strip() and not c.strip().startswith("#")]


docker = instructions((root / "Dockerfile").read_text())
froms = [a for i, a in docker if i == "FROM"]
if froms != ["debian:bookworm"]:
    errors.append(f"Dockerfile: expected one FROM debian:bookworm, found {froms}")
docker_commands = [c for i, a in docker if i == "RUN" for c in commands(a)]
install = ["bash", "scripts/install-deps.sh"]
if install not in docker_commands:
    errors.append(f"Dockerfile: no RUN of {' '.join(install)} (found {docker_commands})")
if ["make", "build"] not in docker_commands:
    errors.append("Dockerfile: does not build with `make build`, the Makefile's build")
cmds = [a for i, a in docker if i == "CMD"]
if len(cmds) != 1 or json.loads(cmds[0])[:2] != ["make", "bench"]:
    errors.append(f"Dockerfile: the default command must be [\"make\", \"bench\"...], found {cmds}")
volumes = [v for i, a in docker if i == "VOLUME" for v in json.loads(a)]
if "/greenbench/results" not in volumes:
    errors.append(f"Dockerfile: /greenbench/results (where make bench writes) is not a volume: {volumes}")
workdirs = [a for i, a in docker if i == "WORKDIR"]
if workdirs != ["/greenbench"]:
    errors.append(f"Dockerfile: expected WORKDIR /greenbench, found {workdirs}")

ci_commands = commands((root / ".ci/run").read_text())
if install not in ci_commands:
    errors.append(f".ci/run: does not run {' '.join(install)}")
if ["make", "test"] not in ci_commands:
    errors.append(".ci/run: does not run `make test`, the README's test command")

# The Makefile's build (what `make build` runs inside the image) is what
# `make test` (CI) depends on, and `make setup` is install + build.
makefile = (root / "Makefile").read_text()
rules = dict(re.findall(r"^([a-z-]+):([^\n]*)$", makefile, re.M))
if rules.get("test", "").split()[:1] != ["build"]:
    errors.append(f"Makefile: test must depend on build, found 'test:{rules.get('test')}'")
if rules.get("setup", "").split() != ["deps", "build"]:
    errors.append(f"Makefile: setup must be deps build, found 'setup:{rules.get('setup')}'")
if "\tbash scripts/install-deps.sh" not in makefile:
    errors.append("Makefile: deps does not run bash scripts/install-deps.sh")

readme = (root / "README.md").read_text()
first_block = re.search(r"```sh\n(.*?)```", readme, re.S)
readme_commands = [c[:2] for c in commands(first_block.group(1))] if first_block else []
if readme_commands[:3] != [["make", "setup"], ["make", "bench"], ["make", "test"]]:
    errors.append(f"README: the first commands must be make setup, make bench, make test; found {readme_commands}")

for e in errors:
    print("FAIL:", e)
if errors:
    sys.exit(1)
print("Dockerfile, .ci/run, Makefile and README agree: install-deps.sh, make build, make bench, make test")
