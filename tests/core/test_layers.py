"""Apps import only apps below them.

Every module under apps/ is parsed: `import x` and `from x import y` at the top and inside
functions, relative imports, and dotted paths written as strings ("apps.x.tasks.send", the way
import_string and task names refer to code). Models pointing at a higher app by string
("app.Model") and queries following those relations are data, not imports, and stay allowed.
"""

import ast
import pathlib
import re
from dataclasses import dataclass

import pytest

APPS_DIR = pathlib.Path(__file__).resolve().parents[2] / "apps"

# Lowest first. An app may import apps on lower rows only, never one on its own row.
# Opportunities sit below reminders and interactions: follow-ups and conversations point at an
# opportunity, and opportunities never call either. Interactions sit above reminders: logging a
# conversation completes and plans follow-ups.
LAYERS = [
    ["core"],
    ["accounts"],
    ["contacts"],
    ["opportunities"],
    ["reminders"],
    ["interactions"],
    ["insights", "portability"],
    ["onboarding", "followthrough"],
    ["api", "capture", "webhooks"],
]
LEVEL = {app: row for row, apps in enumerate(LAYERS) for app in apps}

# Imports inside functions hide dependencies. Django's own hook for signals is the exception:
# an AppConfig.ready() importing its app's receivers, which cannot load before the models do.
LOCAL_IMPORT_HOOKS = {"ready"}

DOTTED_PATH = re.compile(r"apps(\.\w+)+")


@dataclass(frozen=True)
class Reference:
    line: int
    target: str
    function: str | None  # the innermost function it sits in, None at module level


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(APPS_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def references(source: str, module: str, *, is_package: bool = False) -> list[Reference]:
    """Every module `source` imports or names by dotted string."""
    package = module if is_package else module.rpartition(".")[0]
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Reference(child.lineno, a.name, function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*parent, base] if base else parent)
                found.extend(
                    Reference(child.lineno, f"{base}.{a.name}", function) for a in child.names
                )
            elif isinstance(child, ast.Constant) and DOTTED_PATH.fullmatch(str(child.value)):
                found.append(Reference(child.lineno, child.value, function))
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, child.name if is_function else function)

    visit(ast.parse(source), None)
    return found


def app_of(target: str) -> str | None:
    parts = target.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "apps" else None


def upward_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    app = app_of(module)
    problems = []
    for ref in references(source, module, is_package=is_package):
        other = app_of(ref.target)
        if other is None or other == app or other == "*":
            continue
        if other not in LEVEL:
            problems.append(f"{module}:{ref.line} imports {ref.target}: {other} has no layer")
        elif LEVEL[other] >= LEVEL[app]:
            where = "beside" if LEVEL[other] == LEVEL[app] else "above"
            problems.append(f"{module}:{ref.line} imports {ref.target} ({other} is {where} {app})")
    return problems


def local_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    problems = []
    tree = ast.parse(source)
    import_lines = {
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
    }
    for ref in references(source, module, is_package=is_package):
        if ref.line not in import_lines or ref.function is None:
            continue
        if ref.function in LOCAL_IMPORT_HOOKS and module.endswith(".apps"):
            continue
        problems.append(f"{module}:{ref.line} imports {ref.target} inside {ref.function}()")
    return problems


def app_modules():
    for path in sorted(APPS_DIR.rglob("*.py")):
        if path.parent == APPS_DIR:
            continue  # apps/__init__.py belongs to no app
        yield module_name(path), path.read_text(), path.name == "__init__.py"


def test_every_app_has_a_layer():
    apps = {p.name for p in APPS_DIR.iterdir() if (p / "__init__.py").exists()}
    assert apps == set(LEVEL), "place each app in LAYERS (and in the README's layout section)"


def test_no_app_imports_an_app_above_or_beside_it():
    problems = [
        problem
        for module, source, is_package in app_modules()
        for problem in upward_imports(source, module, is_package=is_package)
    ]
    assert problems == []


def test_no_imports_hide_inside_functions():
    problems = [
        problem
        for module, source, is_package in app_modules()
        for problem in local_imports(source, module, is_package=is_package)
    ]
    assert problems == []


def task_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Imports of a tasks module from outside it. Tasks call services; services (and views)
    queue a task by its dotted path through core.queue.enqueue, so no import runs back."""
    if module.endswith(".tasks"):
        return []
    tree = ast.parse(source)
    import_lines = {
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
    }
    return [
        f"{module}:{ref.line} imports {ref.target}"
        for ref in references(source, module, is_package=is_package)
        if ref.line in import_lines and re.search(r"\.tasks(\.|$)", ref.target)
    ]


def test_tasks_modules_are_imported_by_no_other_module():
    problems = [
        problem
        for module, source, is_package in app_modules()
        for problem in task_imports(source, module, is_package=is_package)
    ]
    assert problems == []


def test_the_check_catches_a_services_module_importing_its_tasks_at_the_top():
    source = (
        "from apps.reminders import tasks\n"
        "from apps.portability.tasks import run_import\n"
        "from . import tasks as queued\n"
        'TASK = "apps.reminders.tasks.send_delivery"\n'
    )
    assert task_imports(source, "apps.reminders.services") == [
        "apps.reminders.services:1 imports apps.reminders.tasks",
        "apps.reminders.services:2 imports apps.portability.tasks.run_import",
        "apps.reminders.services:3 imports apps.reminders.tasks",
    ]
    assert task_imports("from apps.reminders import services\n", "apps.reminders.tasks") == []


# The ways apps used to reach up, as they were written (shortened to the offending lines).
CLIMBS = {
    "apps.accounts.services": (
        "def update_settings(*, user, form):\n"
        "    from apps.reminders.services import keep_wall_times\n"
    ),
    "apps.contacts.services": "from apps.reminders import services as reminders\n",
    "apps.core.context_processors": (
        'NAV_COUNTERS = {"nav_due_followups": "apps.reminders.selectors.nav_due_count"}\n'
    ),
    "apps.opportunities.selectors": "from apps.interactions.models import Interaction\n",
    "apps.reminders.selectors": (
        "def weekly_review(user, *, now=None):\n"
        "    from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction\n"
    ),
}


@pytest.mark.parametrize("module", sorted(CLIMBS))
def test_the_check_catches_each_way_apps_used_to_climb(module):
    problems = upward_imports(CLIMBS[module], module)
    assert problems
    assert all(p.startswith(f"{module}:") and " is above " in p for p in problems)


def test_the_check_catches_a_climb_hidden_in_a_method_or_a_relative_import():
    source = (
        "from ..opportunities import models\n"
        "class Form:\n"
        "    def __init__(self):\n"
        "        import apps.insights.selectors\n"
        "        from apps import portability\n"
    )
    problems = upward_imports(source, "apps.contacts.services")
    assert [p.removeprefix("apps.contacts.services:") for p in problems] == [
        "1 imports apps.opportunities.models (opportunities is above contacts)",
        "4 imports apps.insights.selectors (insights is above contacts)",
        "5 imports apps.portability (portability is above contacts)",
    ]
    assert [p.split(" inside ")[1] for p in local_imports(source, "apps.contacts.services")] == [
        "__init__()",
        "__init__()",
    ]


def test_the_check_refuses_apps_on_one_row_importing_each_other():
    assert upward_imports("from apps.portability import exports\n", "apps.insights.views") == [
        "apps.insights.views:1 imports apps.portability.exports (portability is beside insights)"
    ]


def test_the_check_lets_an_app_import_below_it_and_itself():
    source = (
        "from apps.reminders import services as reminders\n"
        "from apps.opportunities.models import Opportunity\n"
        "from . import selectors\n"
        'TASK = "apps.interactions.tasks.send"\n'
        '"""A docstring naming apps.insights.selectors in a sentence."""\n'
    )
    assert upward_imports(source, "apps.interactions.services") == []


def test_a_services_module_may_not_import_its_tasks_inside_a_function():
    source = "def retry():\n    from apps.reminders.tasks import send_delivery\n"
    assert local_imports(source, "apps.reminders.services") == [
        "apps.reminders.services:2 imports apps.reminders.tasks.send_delivery inside retry()"
    ]
