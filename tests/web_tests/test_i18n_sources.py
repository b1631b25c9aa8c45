"""The web pages' texts live in one place: ``api/web/static/i18n.js``.

A Chinese text written straight into a page's script or HTML would show Chinese to a
reader who asked for English, so no page file but i18n.js may hold one (comments aside;
the vendored libraries are not ours). Both languages of i18n.js name the same keys, and
every key a page names is in them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "api" / "web" / "static"
I18N = STATIC / "i18n.js"

#: CJK ideographs, CJK punctuation (、。「」) and full-width forms (，：；（）).
CJK = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

#: The characters after which ``/`` starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_REGEX_KEYWORDS = ("return", "typeof", "case", "do", "else", "in", "of", "void", "yield")


def page_files() -> list[Path]:
    return sorted(
        p
        for p in STATIC.iterdir()
        if p.suffix in (".js", ".html") and p.is_file() and p.name != I18N.name
    )


def without_js_comments(source: str) -> str:
    """``source`` with its comments blanked (newlines kept, so lines still count).

    A small scanner, not a parser: it knows strings, template literals (with ``${}``
    nesting) and regular-expression literals well enough that ``//`` inside a URL or
    ``/*`` inside ``"image/*"`` is not taken for a comment.
    """
    out: list[str] = []
    i, n = 0, len(source)
    braces: list[int] = []  # depth of {} at each open ${ of a template literal
    depth = 0
    last = ""  # the last significant character of code, for the regex heuristic
    word = ""  # the last identifier of code

    def template(j: int) -> int:
        """Copy a template literal's text from ``j`` (after a backtick) to its end or ``${``."""
        nonlocal depth
        while j < n:
            c = source[j]
            if c == "\\":
                out.append(source[j : j + 2])
                j += 2
                continue
            if c == "`":
                out.append(c)
                return j + 1
            if source.startswith("${", j):
                out.append("${")
                depth += 1
                braces.append(depth)
                return j + 2
            out.append(c)
            j += 1
        return j

    while i < n:
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", source[i:end]))
            i = end
            continue
        if c in "\"'":
            j = i + 1
            while j < n and source[j] != c and source[j] != "\n":
                j += 2 if source[j] == "\\" else 1
            out.append(source[i : j + 1])
            i, last, word = j + 1, c, ""
            continue
        if c == "`":
            out.append(c)
            i = template(i + 1)
            last, word = "`", ""
            continue
        if c == "/" and (last in _REGEX_AFTER or word in _REGEX_KEYWORDS):
            j, in_class = i + 1, False
            while j < n and source[j] != "\n":
                if source[j] == "\\":
                    j += 2
                    continue
                if source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                elif source[j] == "/" and not in_class:
                    break
                j += 1
            out.append(source[i : j + 1])
            i, last, word = j + 1, "/", ""
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if braces and braces[-1] == depth:
                braces.pop()
                depth -= 1
                out.append(c)
                i = template(i + 1)
                last, word = "`", ""
                continue
            depth -= 1
        out.append(c)
        if c.isalnum() or c in "_$":
            word = word + c if last.isalnum() or last in "_$" else c
            last = c
        elif not c.isspace():
            last, word = c, ""
        i += 1
    return "".join(out)


def without_html_comments(source: str) -> str:
    return re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), source, flags=re.S)


def cjk_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    code = without_js_comments(text) if path.suffix == ".js" else without_html_comments(text)
    return [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(code.splitlines(), 1)
        if CJK.search(line)
    ]


def test_no_page_file_but_i18n_js_holds_chinese_text() -> None:
    files = page_files()
    names = {f.name for f in files}
    assert {"app.js", "forms.js", "index.html", "field.html", "verify.js"} <= names
    found = [line for path in files for line in cjk_lines(path)]
    assert not found, "move these texts into i18n.js:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('const a = "全部"; // 说明', ['"全部"']),
        ("/* 说明 */ const a = 1;", []),
        ("x = `${y}件`; // 注", ["件"]),
        ("x = `a ${f(`b`)} 张`;", ["张"]),
        ("s.split(/[,，]+/); // 注", ["，"]),
        ('a = "image/*"; b = "隐患"; /* c */', ['"隐患"']),
        ('u = "http://x"; v = "事故";', ['"事故"']),
        ("r = a / b; c = '检查'; // d / e", ["'检查'"]),
    ],
)
def test_the_scanner_finds_chinese_in_code_and_not_in_comments(
    source: str, expected: list[str]
) -> None:
    code = without_js_comments(source)
    assert len(code) == len(source)
    for text in expected:
        assert text in code
    assert not re.search("[说注]", code) and "d / e" not in code


def test_the_scanner_flags_a_chinese_text_in_a_page(tmp_path: Path) -> None:
    page = tmp_path / "page.js"
    page.write_text('/* 页面 */\nconst a = t("all");\nconst b = "全部";\n', encoding="utf-8")
    assert cjk_lines(page) == ['page.js:3: const b = "全部";']
    html = tmp_path / "page.html"
    html.write_text('<!-- 页面 -->\n<p data-i18n="all"></p>\n<p>全部</p>\n', encoding="utf-8")
    assert cjk_lines(html) == ["page.html:3: <p>全部</p>"]


def i18n_tables() -> dict[str, set[str]]:
    """The keys of i18n.js's zh and en tables."""
    source = without_js_comments(I18N.read_text(encoding="utf-8"))
    zh = source.index("\n  zh: {")
    en = source.index("\n  en: {")
    end = source.index("\n};", en)
    key = re.compile(r'"([\w.]+)"\s*:')
    return {"zh": set(key.findall(source[zh:en])), "en": set(key.findall(source[en:end]))}


def test_both_languages_have_the_same_keys() -> None:
    tables = i18n_tables()
    assert len(tables["zh"]) > 300
    assert tables["zh"] - tables["en"] == set(), "no English text"
    assert tables["en"] - tables["zh"] == set(), "no Chinese text"


#: How the pages name a key: t("k"), tf("k"), i18nText(lang, "k"), a form's label or
#: step title, a yes/no choice's names, an element's data-i18n.
_KEY_USES = [
    re.compile(r'\b(?:t|tf)\(\s*"([\w.]+)"'),
    re.compile(r'\bi18nText\(\s*[\w"]+,\s*"([\w.]+)"'),
    re.compile(r'\b(?:label|title|yes|no): "([\w.]+)"'),
    re.compile(r'\bdata-i18n(?:-placeholder)?="([\w.]+)"'),
    re.compile(r'\?\s*"([a-z_]+\.[\w.]+)"\s*:\s*"([a-z_]+\.[\w.]+)"'),
]
#: Texts a page names under its own prefix (campaign.js's tr("k"), verify.js's t("k")).
_PREFIXED = {
    "campaign.js": ("campaign.", re.compile(r'\btr\(\s*"([\w.]+)"')),
    "verify.js": ("verify.", re.compile(r'\bt\(\s*"([\w.]+)"')),
}


def test_every_key_a_page_names_is_in_both_languages() -> None:
    keys = i18n_tables()["zh"]
    used: set[str] = set()
    for path in page_files():
        code = without_js_comments(path.read_text(encoding="utf-8"))
        if path.name in _PREFIXED:
            prefix, pattern = _PREFIXED[path.name]
            used |= {prefix + k for k in pattern.findall(code)}
            continue
        for use in _KEY_USES:
            for found in use.findall(code):
                used |= set(found) if isinstance(found, tuple) else {found}
    assert len(used) > 200
    missing = sorted(k for k in used if k not in keys and not k.startswith("f."))
    assert not missing, f"keys named by the pages but missing from i18n.js: {missing}"
