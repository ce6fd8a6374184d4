from ninja import Router, Status
from ninja.pagination import paginate

from apps.api import auth, formdata
from apps.api.endpoints import ERRORS, WRITE_ERRORS, Page
from apps.api.problems import invalid
from apps.api.schemas import OrganizationIn, OrganizationOut
from apps.contacts import selectors, services
from apps.contacts.forms import OrganizationForm
from apps.core.http import owned_or_404

router = Router(tags=["organizations"])


@router.get("", response={200: list[OrganizationOut], **ERRORS}, auth=auth.read)
@paginate(Page)
def list_organizations(request, q: str = "", target: bool = False):
    """Your organizations by name, with how many active contacts you know there."""
    return selectors.organization_queryset(user=request.user, query=q, target_only=target)


@router.get("/{int:organization_id}", response={200: OrganizationOut, **ERRORS}, auth=auth.read)
def read_organization(request, organization_id: int):
    queryset = selectors.organization_queryset(user=request.user)
    return owned_or_404(queryset, request.user, organization_id)


@router.post("", response={201: OrganizationOut, **WRITE_ERRORS}, auth=auth.write)
def create_organization(request, payload: OrganizationIn):
    form = formdata.bind(OrganizationForm, payload.dict(), owner=request.user)
    if not form.is_valid():
        raise invalid(form)
    fields = {name: form.cleaned_data[name] for name in OrganizationForm.Meta.fields}
    organization = services.save_organization(owner=request.user, **fields)
    organization.contact_count = 0
    return Status(201, organization)
