"""Behaviour of drafting.markdown.render_markdown: Markdown in, safe HTML out."""

import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import drafting.markdown as drafting_markdown
from drafting.markdown import render_markdown

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}}
SAFE_SCHEMES = {"http", "https", "mailto"}
# What browsers ignore inside a URL: ASCII whitespace/controls, C1 controls,
# NBSP and the invisible Unicode spaces/joiners.
_IGNORED_IN_URL = re.compile(r"[\s\x00-\x20\x7f-\xa0\u200b-\u200f\u2028\u2029\ufeff]")
# WHATWG URL: a scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) before ":".
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_FORBIDDEN_MARKUP = (
    "<script",
    "<svg",
    "<iframe",
    "<img",
    "<style",
    "<object",
    "<embed",
    "<math",
    "<form",
    "<meta",
    "<base",
    "<link",
)


class _Audit(HTMLParser):
    """Collect every way the rendered HTML strays from the allow-list."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        if tag == "a" and dict(attrs).get("rel") != "nofollow noopener":
            self.problems.append(f"link without rel='nofollow noopener': {attrs!r}")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.problems.append(f"attribute {name}= on <{tag}>")
            elif name == "href":
                self._check_href(value or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"end tag </{tag}>")

    def _check_href(self, value):
        # The parser has already decoded entities.
        normalized = _IGNORED_IN_URL.sub("", value).lower()
        scheme = _SCHEME.match(normalized)
        if scheme and scheme.group(1) not in SAFE_SCHEMES:
            self.problems.append(f"href scheme {scheme.group(1)!r} in {value!r}")

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    handle_pi = unknown_decl = handle_decl


def problems_in(html):
    audit = _Audit()
    audit.feed(html)
    audit.close()
    lowered = html.lower()
    return audit.problems + [f"markup {m}" for m in _FORBIDDEN_MARKUP if m in lowered]


XSS_VECTORS = [
    # Markdown links with a hostile scheme in every spelling.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#0000106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](<java\nscript:alert(1)>)",
    "[x](java&#x09;script:alert(1))",
    "[x](java&#10;script:alert(1))",
    "[x](\x00javascript:alert(1))",
    "[x](java\x00script:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](  \tjavascript:alert(1))",
    "[x](&#32;javascript:alert(1))",
    "[x](java\u200bscript:alert(1))",
    "[x](\u2028javascript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](javascript%3Aalert(1))",
    "[x](javascript://%0Aalert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "* [x](javascript:alert(1))",
    # Reference-style links, autolinks and images.
    "[x][r]\n\n[r]: javascript:alert(1)",
    '[x][r]\n\n[r]: <JavaScript:alert(1)> "title"',
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    # Attribute injection through Markdown link titles / URLs / bare URLs.
    '[x](http://ok.example "a\\" onmouseover=\\"alert(1)")',
    '[x](http://ok.example" onmouseover="alert(1))',
    'http://ok.example/"onmouseover="alert(1)',
    "javascript:alert(1) typed as plain text",
    # Raw HTML: scripts, event handlers and active elements.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<p onclick="alert(1)">x</p>',
    "<b onmouseover=alert(1)>x</b>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="jav&#x0D;ascript:alert(1)">',
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width: expression(alert(1))">x</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<A HREF="JaVaScRiPt:alert(1)">x</A>',
    '<a href="http://ok.example" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Comments hiding script.
    "<!-- <script>alert(1)</script> -->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    # Unicode look-alikes and escapes.
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    # Raw HTML inside Markdown structures.
    "# <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "> <iframe src=//evil.example>",
    "`` ` ``<script>alert(1)</script>",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_renders_to_allow_listed_html_only(vector):
    assert problems_in(render_markdown(vector)) == []


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_cleaner_alone_neutralises_vectors_even_if_markdown_passed_raw_html(vector, monkeypatch):
    # Second line of defence: with python-markdown's raw HTML handling left on,
    # bleach must still reduce every vector to allow-listed HTML.
    monkeypatch.setattr(
        drafting_markdown,
        "_new_markdown",
        lambda: markdown.Markdown(extensions=["tables", "sane_lists"]),
    )
    # The pipeline itself, in this process: render_markdown runs it in a renderer process,
    # which would not see the patched Markdown.
    assert problems_in(drafting_markdown._render(vector)) == []


def test_link_with_hostile_url_keeps_its_text_but_loses_href():
    assert render_markdown("[read me](javascript:alert(1))") == ('<p><a rel="nofollow noopener">read me</a></p>')


def test_percent_encoded_scheme_stays_a_harmless_relative_link():
    html = render_markdown("[x](%6Aavascript:alert(1))")
    assert 'href="%6Aavascript:alert(1)"' in html
    assert problems_in(html) == []


def test_headings_shift_below_page_structure():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\n###### Six\n\nSet\n===")
    assert html == ("<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n<h4>Four</h4>\n<h4>Six</h4>\n<h2>Set</h2>")


def test_tables_render_without_alignment_styles():
    html = render_markdown("| Left | Right |\n|:-----|------:|\n| a | b |")
    assert html == (
        "<table>\n<thead>\n<tr>\n<th>Left</th>\n<th>Right</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>a</td>\n<td>b</td>\n</tr>\n</tbody>\n</table>"
    )


def test_lists_emphasis_code_blockquote_and_rule_pass_through():
    text = (
        "*em* **strong** `x < y`\nnext  \nline\n\n"
        "* one\n* two\n\n1. first\n2. second\n\n> quoted\n\n---\n\n    code <b>\n"
    )
    assert render_markdown(text) == (
        "<p><em>em</em> <strong>strong</strong> <code>x &lt; y</code>\nnext<br>\nline</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>\n"
        "<pre><code>code &lt;b&gt;\n</code></pre>"
    )


def test_links_get_nofollow_noopener_and_keep_title():
    assert render_markdown('[law](https://adilet.zan.kz/ "Adilet")') == (
        '<p><a href="https://adilet.zan.kz/" title="Adilet" rel="nofollow noopener">law</a></p>'
    )


def test_mailto_links_are_allowed():
    assert render_markdown("[write](mailto:team@example.kz)") == (
        '<p><a href="mailto:team@example.kz" rel="nofollow noopener">write</a></p>'
    )


def test_bare_http_urls_are_linkified_with_rel():
    assert render_markdown("See https://example.kz/doc.") == (
        '<p>See <a href="https://example.kz/doc" rel="nofollow noopener">https://example.kz/doc</a>.</p>'
    )


def test_scheme_less_names_and_code_are_not_linkified():
    assert render_markdown("file budget.kz and `http://example.kz`") == (
        "<p>file budget.kz and <code>http://example.kz</code></p>"
    )


def test_cyrillic_and_kazakh_text_passes_unchanged():
    text = "Қазақстан Республикасының заңы — «Құқықтық актілер туралы», \"цитата\" 'и'"
    assert render_markdown(text) == f"<p>{text}</p>"


def test_typed_raw_html_appears_escaped_as_text():
    assert render_markdown("<b>raw</b>") == "<p>&lt;b&gt;raw&lt;/b&gt;</p>"


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t \n "])
def test_empty_or_whitespace_input_renders_empty(text):
    assert render_markdown(text) == ""


def test_concurrent_renders_match_sequential_ones():
    texts = [f"# Title {i}\n\n[link {i}](http://e.kz/{i})\n\n| a |\n|---|\n| {i} |" for i in range(64)]
    expected = [render_markdown(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render_markdown, texts)) == expected


_FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=",
    '"',
    "'",
    "javascript:",
    "JaVa\tScRiPt:",
    "&#106;",
    "&colon;",
    "data:",
    "vbscript:",
    "[x](",
    "](",
    ")",
    "![",
    "<",
    ">",
    "&",
    ";",
    "#",
    "# ",
    "|",
    "---",
    "\n",
    "\n\n",
    "*",
    "_",
    "`",
    "> ",
    "    ",
    "http://e.kz/",
    " onload=",
    "style=",
    "<!--",
    "-->",
    "Қазақ",
    "\x00",
    "\u200b",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_FRAGMENTS)).map("".join)))
def test_any_text_renders_to_allow_listed_html_deterministically(text):
    html = render_markdown(text)
    assert problems_in(html) == []
    assert render_markdown(text) == html
