"""No URL path of the product is typed by hand: links come from {% url %}, reverse() or
get_absolute_url, so renaming a route can never leave a dead link behind."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(settings.BASE_DIR)


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _first_segments() -> set[str]:
    """Every route's first literal segment ("contacts", "import", "r", "admin", …)."""
    segments = set()
    for route in _routes(get_resolver().url_patterns):
        match = re.match(r"\^?([\w.-]+)", route)
        if match:
            segments.add(match.group(1).rstrip("."))
    return segments


def _pattern(segments) -> re.Pattern:
    names = "|".join(sorted(map(re.escape, segments), key=len, reverse=True))
    return re.compile(
        # A quoted string, or a query value such as ?next=, that starts with an app's path…
        rf"[\"'=]/(?:{names})\b"
        # …or an attribute (href, action, hx-get, …) or a template's next= that is the root…
        r"|(?:href|action|src|formaction|hx-[\w-]+|next)\s*=\s*[\"']/[\"'?#]"
        # …or a path glued onto a template value: a host followed by an app's path, or an id
        # followed by the rest of a route ("{{ base }}{{ o.pk }}/move/").
        rf"|\}}\}}/(?:{names})\b"
        r"|(?:\bpk|_id)\s*\}\}/"
    )


# Nothing needs an exception today: static files come from {% static %}.
ALLOWED: set[tuple[str, str]] = set()


def _offences(pattern):
    files = [*ROOT.glob("apps/**/*.py"), *ROOT.glob("templates/**/*.html")]
    files += ROOT.glob("templates/**/*.txt")
    for path in sorted(files):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in pattern.finditer(line):
                name = str(path.relative_to(ROOT))
                if (name, match.group(0)) not in ALLOWED:
                    yield f"{name}:{number}: {line.strip()}"


def test_the_resolver_knows_the_apps_prefixes():
    segments = _first_segments()
    assert {"contacts", "organizations", "interactions", "opportunities", "insights"} <= segments
    assert {"followups", "outbox", "import", "export", "settings", "r", "unsubscribe"} <= segments


def test_the_pattern_catches_hand_written_paths_and_spares_reversed_ones():
    pattern = _pattern(_first_segments())
    caught = [
        '<a href="/contacts/{{ c.pk }}/">',
        "<a href='/interactions/new/?contact=1'>",
        "<a href=\"{% url 'interactions:edit' 1 %}?next=/contacts/1/\">",
        '{% include "row.html" with next="/" %}',
        '<a href="/">Home</a>',
        'hx-get="/insights/?range=30d"',
        "{{ next|default:'/interactions/' }}",
        'links.absolute(f"/interactions/new/{query}")',
        'nxt.startswith(f"/interactions/{pk}/")',
        '"/export/contacts.csv"',
        'url = "/r/" + token',
        "{{ request.scheme }}://{{ request.get_host }}/calendar/{{ user.calendar_token }}.ics",
        'hx-post="{{ base_url }}{{ opportunity.pk }}/move/"',
        '<a href="{{ base_url }}{{ opportunity.pk }}/">',
        'data-url="{{ root }}{{ follow_up.contact_id }}/"',
    ]
    spared = [
        "<a href=\"{% url 'contacts:detail' c.pk %}\">",
        '<a href="{{ contact.get_absolute_url }}">',
        'reverse("interactions:new") + "?contact=1"',
        'path.split("/")',
        "<img src=\"{% static 'img/icon.svg' %}\">",
        '"https://example.com/contacts/"',
        'text = "and/or contacts"',
        '"/register-later"',
        "{{ request.scheme }}://{{ request.get_host }}{{ feed_path }}",
        '<a href="https://www.instagram.com/{{ contact.instagram_handle|urlencode }}/">',
        "{{ page.number }}/{{ page.paginator.num_pages }}",
    ]
    assert [text for text in caught if not pattern.search(text)] == []
    assert [text for text in spared if pattern.search(text)] == []


def test_no_path_is_written_by_hand_in_apps_or_templates():
    offences = list(_offences(_pattern(_first_segments())))
    assert offences == [], "Use {% url %}, reverse() or get_absolute_url:\n" + "\n".join(offences)
