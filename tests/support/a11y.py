"""axe-core (shipped by axe-playwright-python) on a Chromium page: serious and critical only."""

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()


def serious_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
