#!/usr/bin/env python3
"""List public (and open) declarations of the SESIOR library targets that have no `///` doc comment.

A declaration counts as documented when the nearest line above it that is not an attribute
(`@inlinable`, `@available(...)`, ...) is a `///` line or closes a `/** ... */` block.
Checked declarations: every line that declares something `public` or `open` (types, functions,
initializers, properties, subscripts, typealiases, associated types), enum cases of public enums,
and the requirements of public protocols (which are public without the keyword).

Usage: scripts/check-doc-comments.py [TARGET ...]   (default: the six library targets)
Prints `path:line: declaration` per finding and a count; exits 1 when something is undocumented.
"""
import pathlib
import re
import sys

LIBRARY_TARGETS = ["JavaScriptFormats", "HTTPCore", "HTTPCoreTLS", "WebSocketCore", "SessionKit", "SessionMiddleware", "RedisStore", "SocketIO", "SesiorUsers"]

ATTRIBUTE = re.compile(r"^@[A-Za-z_]+(\([^)]*\))?$")
LEADING_ATTRIBUTES = re.compile(r"^(@[A-Za-z_]+(\([^)]*\))?\s+)*")
MODIFIERS = r"(?:(?:final|static|class|nonisolated|indirect|mutating|nonmutating|override|convenience|required|dynamic|lazy|weak|unowned|consuming|borrowing|distributed|package|private\(set\)|fileprivate\(set\)|internal\(set\))\s+)*"
PUBLIC_DECL = re.compile(r"^(?:public|open)(?:\(set\))?\s+" + MODIFIERS + r"(?:public\s+)?" + MODIFIERS
                         + r"(struct|class|enum|protocol|actor|extension|func|init|deinit|var|let|subscript|typealias|associatedtype|case)\b")
TYPE_OPEN = re.compile(r"^(?:public|open)\s+" + MODIFIERS + r"(enum|protocol)\s")
PROTOCOL_REQUIREMENT = re.compile(r"^" + MODIFIERS + r"(func|init|var|subscript|associatedtype|typealias)\b")
ENUM_CASE = re.compile(r"^case\s+[A-Za-z_`]")


def strip_code(line: str) -> str:
    """The line without string literals and `//` comments, for brace counting."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    return line.split("//", 1)[0]


def is_documented(lines: list[str], index: int) -> bool:
    j = index - 1
    while j >= 0:
        text = lines[j].strip()
        if ATTRIBUTE.match(text):
            j -= 1
            continue
        return text.startswith("///") or text.endswith("*/")
    return False


def check_file(path: pathlib.Path) -> list[str]:
    findings = []
    lines = path.read_text(encoding="utf-8").splitlines()
    # Stack of (kind, depth at which its members live) for public enums and protocols.
    scopes: list[tuple[str, int]] = []
    depth = 0
    in_block_comment = False
    for i, raw in enumerate(lines):
        text = raw.strip()
        if in_block_comment:
            if "*/" in text:
                in_block_comment = False
            continue
        if text.startswith("/*") and "*/" not in text:
            in_block_comment = True
            continue
        if text.startswith("//"):
            continue
        decl = LEADING_ATTRIBUTES.sub("", text)
        scope = scopes[-1] if scopes and scopes[-1][1] == depth else None
        needs_doc = bool(PUBLIC_DECL.match(decl)) and not decl.startswith(("public extension", "extension"))
        if scope and scope[0] == "enum" and ENUM_CASE.match(decl):
            needs_doc = True
        if scope and scope[0] == "protocol" and PROTOCOL_REQUIREMENT.match(decl):
            needs_doc = True
        if needs_doc and not is_documented(lines, i):
            findings.append(f"{path}:{i + 1}: {text}")
        opening = TYPE_OPEN.match(decl)
        code = strip_code(raw)
        for ch in code:
            if ch == "{":
                depth += 1
                if opening:
                    scopes.append((opening.group(1), depth))
                    opening = None
            elif ch == "}":
                if scopes and scopes[-1][1] == depth:
                    scopes.pop()
                depth -= 1
    return findings


def main() -> int:
    root = pathlib.Path(__file__).resolve().parent.parent
    targets = sys.argv[1:] or LIBRARY_TARGETS
    findings = []
    for target in targets:
        for path in sorted((root / "Sources" / target).rglob("*.swift")):
            findings += check_file(path)
    for finding in findings:
        print(finding.replace(str(root) + "/", ""))
    print(f"{len(findings)} public declaration(s) without a /// doc comment in {', '.join(targets)}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
