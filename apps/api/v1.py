"""Version 1 of the JSON API: schema at openapi.json, readable docs at docs (served from the
package's own static files, no CDN)."""

from ninja import NinjaAPI

from apps.api import auth, problems
from apps.api.endpoints import contacts, conversations, followups, opportunities, organizations

api = NinjaAPI(
    title="Followthrough API",
    version="1",
    description=(
        "Your contacts, organizations, conversations, follow-ups and opportunities. "
        "Authenticate with a personal access token (Settings → API tokens) sent as "
        "`Authorization: Bearer <token>`. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api_v1",
    throttle=[auth.TokenRateThrottle()],
)
problems.install(api)
api.add_router("contacts", contacts.router)
api.add_router("organizations", organizations.router)
api.add_router("conversations", conversations.router)
api.add_router("followups", followups.router)
api.add_router("opportunities", opportunities.router)
