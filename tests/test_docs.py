"""The README and the deployment guide hold what the code does."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SOURCES = [
    *sorted((ROOT / "rehab").rglob("*.py")),
    *sorted((ROOT / "tests").rglob("*.py")),
    ROOT / "gunicorn.conf.py",
    ROOT / "wsgi.py",
]


def environment_variables(path: Path) -> set[str]:
    """Names read with os.environ.get / os.environ[...] / os.getenv / config's _flag."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args:
            function = ast.unparse(node.func)
            if function in {"os.environ.get", "os.getenv", "_flag", "environ.get"}:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value)
        if (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)
    return names


def documented_variables() -> set[str]:
    """Names in the first column of the README's tables."""
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", README, flags=re.M))


def test_every_setting_the_code_reads_is_in_the_readme():
    used = set().union(*(environment_variables(path) for path in SOURCES))
    exported = set(re.findall(r"^export ([A-Z][A-Z0-9_]+)=", (ROOT / ".ci/run").read_text(), re.M))
    not_ours = {"PATH", "HOME", "DEBIAN_FRONTEND"}
    missing = sorted((used | exported) - documented_variables() - not_ours)
    assert not missing, f"environment variables missing from the README's table: {missing}"
    assert {"REHAB_PROXY_COUNT", "GUNICORN_WORKERS", "FORWARDED_ALLOW_IPS"} <= used


def test_the_scan_finds_what_it_is_meant_to_find(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nA = os.environ.get('ONE')\nB = os.environ['TWO']\nC = os.getenv('THREE')\n"
    )
    assert environment_variables(sample) == {"ONE", "TWO", "THREE"}


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_into_the_readme_point_at_real_headings():
    anchors = {github_anchor(h) for h in re.findall(r"^#+ (.+)$", README, flags=re.M)}
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = document.read_text()
        for target in re.findall(r"\]\((?:\.\./)?README\.md#([^)]+)\)", text):
            assert target in anchors, f"{document.name} links to README#{target}"
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    assert "README.md#postgresql-an-application-role-that-cannot-rewrite-the-access-log" in (
        deployment
    )


def test_the_readme_shows_the_two_commands_first():
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S).group(1)
    assert first_block.splitlines()[0].startswith("make run")
    assert "make test" in first_block.splitlines()[-1]
