"""The repository agrees with itself: every diagnostic code podium can raise is documented in
docs/diagnostics.md and every code documented there is raised; test modules share helpers
through tests/helpers.py, never by importing each other.

Codes are found in the source, not in a list kept by hand: an AST walk takes the code argument
of every ``Diagnostic(...)`` and ``env.report(...)`` (following a local wrapper such as
``warn(key, code, ...)`` to its callers), and the ``severity[code]`` of lines the CLI words
itself (``f"{path}: error[output-exists]: ..."``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import ROOT

SOURCE = ROOT / "src" / "podium"
DIAGNOSTICS_DOC = ROOT / "docs" / "diagnostics.md"

#: Callables that raise a diagnostic, and the position of the code among their arguments:
#: ``Diagnostic(path, line, col, severity, code, message, hint)``,
#: ``env.report(line, col, severity, code, message, hint)``, ``env.diagnostic(...)``,
#: ``pptx_warning(code, text to find, message, hint)`` (podium export pptx).
CODE_POSITION = {"Diagnostic": 4, "report": 3, "diagnostic": 3, "pptx_warning": 0}
#: A code as the CLI prints it: ``error[output-exists]``, or ``{severity}[manifest-damaged]``
#: in an f-string (the piece right after the formatted severity).
PRINTED = re.compile(r"\b(?:error|warning|info)\[([a-z][a-z0-9-]*)\]")
PRINTED_AFTER_FIELD = re.compile(r"^\[([a-z][a-z0-9-]*)\]")
DOCUMENTED = re.compile(r"^\| `([a-z][a-z0-9-]*)` \|", re.MULTILINE)


def callee(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def is_severity(node: ast.expr) -> bool:
    """``{severity}`` or ``{problem.severity}`` in an f-string."""
    return isinstance(node, ast.FormattedValue) and ast.unparse(node.value).endswith("severity")


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == name), None)
    if keyword is not None:
        return keyword
    return call.args[position] if len(call.args) > position else None


class CodeScan:
    """The codes one module raises, and the code arguments it could not read as text."""

    def __init__(self, tree: ast.Module, where: str) -> None:
        self.tree = tree
        self.where = where
        self.codes: set[str] = set()
        self.unread: list[str] = []
        self.parent = {
            child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
        self.calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]

    def run(self) -> CodeScan:
        for call in self.calls:
            name = callee(call)
            if name in CODE_POSITION:
                code = argument(call, CODE_POSITION[name], "code")
                if code is not None:
                    self.read(code, call, depth=0)
        self.printed()
        return self

    def read(self, node: ast.expr, call: ast.Call, depth: int) -> None:
        """The code (or codes) an argument can be: a literal, either branch of ``a if c else
        b``, or a parameter of the enclosing function, read at each call of that function."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.codes.add(node.value)
        elif isinstance(node, ast.IfExp):
            self.read(node.body, call, depth)
            self.read(node.orelse, call, depth)
        elif isinstance(node, ast.Name) and depth < 3 and self.parameter(node, call, depth):
            pass
        else:
            self.unread.append(f"{self.where}:{node.lineno}: {ast.unparse(node)}")

    def parameter(self, name: ast.Name, call: ast.Call, depth: int) -> bool:
        function = self.enclosing_function(call)
        if function is None:
            return False
        if function.name in CODE_POSITION:
            return True  # the emitter itself (report() builds its Diagnostic): its calls count
        parameters = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if name.id not in parameters:
            return False
        position = parameters.index(name.id) - (1 if parameters[:1] in (["self"], ["cls"]) else 0)
        callers = [c for c in self.calls if callee(c) == function.name]
        for caller in callers:
            code = argument(caller, position, name.id)
            if code is not None:
                self.read(code, caller, depth + 1)
        return bool(callers)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def printed(self) -> None:
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings:
                    self.codes.update(PRINTED.findall(node.value))
            elif isinstance(node, ast.JoinedStr):
                for before, piece in zip(node.values, node.values[1:], strict=False):
                    if is_severity(before) and isinstance(piece, ast.Constant):
                        self.codes.update(PRINTED_AFTER_FIELD.findall(str(piece.value)))


def scan(text: str, where: str) -> CodeScan:
    return CodeScan(ast.parse(text), where).run()


def source_files() -> Iterator[Path]:
    yield from sorted(SOURCE.rglob("*.py"))


def raised_codes() -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    unread: list[str] = []
    for path in source_files():
        found = scan(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
        codes |= found.codes
        unread += found.unread
    return codes, unread


def documented_codes() -> set[str]:
    return set(DOCUMENTED.findall(DIAGNOSTICS_DOC.read_text(encoding="utf-8")))


def test_every_code_raised_is_documented_and_every_documented_code_is_raised() -> None:
    raised, unread = raised_codes()
    documented = documented_codes()
    assert unread == [], f"code arguments the scan cannot read (pass a literal): {unread}"
    assert sorted(raised - documented) == [], "raised but not in docs/diagnostics.md"
    assert sorted(documented - raised) == [], "in docs/diagnostics.md but raised nowhere"


def test_the_scan_reads_every_way_a_code_is_raised() -> None:
    """The scan above must not pass by finding nothing: each form a code is raised in, once."""
    found = scan(
        """
def parse(env, path, strict):
    env.report(1, 2, "warning", "by-report", "message")
    env.report(1, 2, "warning", code="by-keyword", message="m")
    Diagnostic(path, 1, 1, "error", "by-diagnostic", "message")
    Diagnostic(path, 1, 1, "error", "either-this" if strict else "or-that", "message")

    def warn(key, code, message):
        problems.append(Diagnostic(path, 1, 1, "warning", code, message))

    warn("key", "by-wrapper", "message")
    print(f"{path}: error[by-print]: message")
    print(f"{path}: {severity}[by-field]: message")
    print(f"{path}: a note on {kind}[not-a-code]")
    Diagnostic(path, 1, 1, "error", CODES[kind], "message")
""",
        "example.py",
    )
    assert found.codes == {
        "by-report",
        "by-keyword",
        "by-diagnostic",
        "either-this",
        "or-that",
        "by-wrapper",
        "by-print",
        "by-field",
    }
    assert found.unread == ["example.py:15: CODES[kind]"]


def test_the_documented_codes_are_read_from_the_table() -> None:
    documented = documented_codes()
    assert {"encoding", "meta-unknown", "image-alt", "output-exists"} <= documented
    assert "code" not in documented  # the table's header


def test_test_modules_share_helpers_only_through_tests_helpers() -> None:
    """A test module that imports another runs that module's import-time code and ties the two
    together: shared helpers live in tests/helpers.py (fixtures in tests/conftest.py)."""
    importing = re.compile(r"^\s*(?:from|import) tests\.(?:test_\w+|conftest)\b", re.MULTILINE)
    offenders = [
        path.name
        for path in sorted((ROOT / "tests").glob("*.py"))
        if importing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def links_in(markdown: str) -> Iterator[str]:
    """Every link and image target of a markdown text, read from markdown-it's tokens (so a
    link written as an example inside code is not one)."""
    from markdown_it import MarkdownIt

    for block in MarkdownIt("commonmark").parse(markdown):
        for token in block.children or ():
            target = token.attrGet("href") or token.attrGet("src")
            if token.type in ("link_open", "image") and isinstance(target, str):
                yield target


def test_every_relative_link_in_the_docs_names_a_file_that_exists() -> None:
    """README.md and docs/*.md (and the pipeline picture in docs/architecture.md)."""
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in links_in(page.read_text(encoding="utf-8")):
            path = target.partition("#")[0]
            if path and ":" not in path and not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []
