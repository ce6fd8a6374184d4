"""The done-when of the API: a script using only the API (over real HTTP, with a token) does
what the quick log does."""

import importlib.util
from pathlib import Path

from django.conf import settings

from apps.api import services
from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp
from tests import factories

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "api_quicklog.py"


def _script():
    spec = importlib.util.spec_from_file_location("api_quicklog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_logs_over_http(live_server, transactional_db, capsys):
    user = factories.UserFactory()
    ada = factories.ContactFactory(owner=user, full_name="Ada Lovelace")
    _, secret = services.create_token(owner=user, name="script", scope="write")
    script = _script()
    code = script.main(
        [
            "Ada Lovelace, Grace Hopper",
            "Coffee about the platform team",
            f"--url={live_server.url}",
            f"--token={secret}",
            "--minutes=30",
            "--gave=An intro",
            "--asked=Advice on the team",
            "--follow-up=3",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "Logged conversation" in capsys.readouterr().out
    interaction = Interaction.objects.get(owner=user)
    names = sorted(c.full_name for c in interaction.contacts.all())
    assert names == ["Ada Lovelace", "Grace Hopper"]
    assert ada in interaction.contacts.all()
    assert interaction.minutes == 30 and interaction.gave == "An intro"
    assert FollowUp.objects.filter(source_interaction=interaction).count() == 2

    # A bad request comes back as the problem's own words, and nothing is written.
    code = script.main(["Ada Lovelace", " ", f"--url={live_server.url}", f"--token={secret}"])
    assert code == 1
    assert "summary" in capsys.readouterr().err.lower()
    assert Interaction.objects.count() == 1
