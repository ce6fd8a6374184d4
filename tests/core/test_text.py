import pytest

from apps.core.templatetags.text import breakable


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ada.lovelace@example.org", "ada<wbr>.lovelace<wbr>@example<wbr>.org"),
        ("linkedin.com/in/ada-lovelace", "linkedin<wbr>.com/<wbr>in/<wbr>ada-<wbr>lovelace"),
        ("https://x.org/a?b=1&c=2", "https://<wbr>x<wbr>.org/<wbr>a<wbr>?b=1<wbr>&amp;c=2"),
        ("<script>@", "&lt;script&gt;<wbr>@"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_breakable_marks_only_sensible_break_points_and_escapes(value, expected):
    assert breakable(value) == expected
