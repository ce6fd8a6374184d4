"""Log a conversation through the Followthrough API, as the quick log does, from a terminal.

    FOLLOWTHROUGH_TOKEN=ft_… python scripts/api_quicklog.py "Ada Lovelace" "Coffee about the team" \
        --minutes 30 --gave "An intro" --asked "Advice" --follow-up 7

Each name is matched to one of your contacts (exact name, any case) or added as a new contact.
Needs only the standard library and a read-and-write token from Settings → API tokens.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class ApiError(Exception):
    def __init__(self, problem: dict):
        super().__init__(problem.get("detail", "API error"))
        self.problem = problem


def call(base_url: str, token: str, method: str, path: str, body=None, **params):
    url = f"{base_url.rstrip('/')}/api/v1{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - http(s) only
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise ApiError(json.load(error)) from None


def find_contact(base_url: str, token: str, name: str) -> int | None:
    page = call(base_url, token, "GET", "/contacts", q=name, archived="all", limit=50)
    exact = [c for c in page["items"] if c["full_name"].casefold() == name.casefold()]
    return exact[0]["id"] if len(exact) == 1 else None


def quicklog(base_url: str, token: str, names, summary: str, **fields) -> dict:
    contacts, new_contacts = [], []
    for name in names:
        found = find_contact(base_url, token, name)
        (contacts if found else new_contacts).append(found or name)
    body = {"contacts": contacts, "new_contacts": new_contacts, "summary": summary}
    body.update({key: value for key, value in fields.items() if value not in (None, "")})
    return call(base_url, token, "POST", "/conversations", body)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", help="Contact names, comma-separated")
    parser.add_argument("summary")
    parser.add_argument(
        "--url", default=os.environ.get("FOLLOWTHROUGH_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--token", default=os.environ.get("FOLLOWTHROUGH_TOKEN", ""))
    parser.add_argument("--channel")
    parser.add_argument("--minutes", type=int)
    parser.add_argument("--gave", default="")
    parser.add_argument("--asked", default="")
    parser.add_argument("--asked-referral", action="store_true")
    parser.add_argument("--follow-up", type=int, choices=[3, 7, 14], dest="follow_up_in_days")
    parser.add_argument("--follow-up-note", default="")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("set FOLLOWTHROUGH_TOKEN or pass --token")
    names = [name.strip() for name in args.names.split(",") if name.strip()]
    try:
        logged = quicklog(
            args.url,
            args.token,
            names,
            args.summary,
            channel=args.channel,
            minutes=args.minutes,
            gave=args.gave,
            asked=args.asked,
            asked_referral=args.asked_referral,
            follow_up_in_days=args.follow_up_in_days,
            follow_up_note=args.follow_up_note,
        )
    except ApiError as error:
        print(f"Not logged: {error}", file=sys.stderr)
        for item in error.problem.get("errors", []):
            print(f"  {item.get('field') or 'input'}: {item['detail']}", file=sys.stderr)
        return 1
    who = ", ".join(c["full_name"] for c in logged["contacts"])
    print(f"Logged conversation {logged['id']} with {who}.")
    for follow_up in logged["follow_ups"]:
        print(f"  follow up with {follow_up['contact']['full_name']} at {follow_up['due_at']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
