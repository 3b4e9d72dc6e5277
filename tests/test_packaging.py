"""Every runtime dependency has a lower bound, and that bound is the release CI tests with."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_runtime_dependency_has_a_tested_lower_bound_and_no_pin():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9A-Za-z.]*)", requirement.strip())
        assert match, f"{requirement!r}: declare a lower bound only ('name>=version'), no pin"
        declared[_name(match[1])] = match[2]
    tested = {}
    for line in (ROOT / ".ci/minimum-versions.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            tested[_name(name)] = version
    assert set(tested) == set(declared), "pyproject.toml and .ci/minimum-versions.txt name " \
        f"different dependencies: {sorted(set(tested) ^ set(declared))}"
    for name, version in declared.items():
        # '>=3.0' is tested as 3.0.0: the same release
        assert tested[name].split(".")[:len(version.split("."))] == version.split(".") and \
            all(part == "0" for part in tested[name].split(".")[len(version.split(".")):]), \
            f"{name}: pyproject.toml says >={version}, CI tests {tested[name]}"
