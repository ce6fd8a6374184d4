from tests import factories


def test_every_contacts_page_renders_for_its_owner(auth_client, user):
    contact = factories.ContactFactory(owner=user, full_name="Ada Lovelace", cadence_days=7)
    other = factories.ContactFactory(owner=user, introduced_by=contact)
    contact.tags.add(factories.TagFactory(owner=user, name="python"))
    for url in [
        "/contacts/",
        "/contacts/?q=ada&sort=-last&going_cold=on&target=on",
        "/contacts/new/",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/edit/",
        f"/contacts/{contact.pk}/delete/",
        f"/contacts/{contact.pk}/merge/",
        f"/contacts/{contact.pk}/merge/?q=Person",
        f"/contacts/{contact.pk}/merge/?other={other.pk}",
        "/organizations/",
        "/organizations/new/",
        f"/organizations/{contact.organization_id}/",
        f"/organizations/{contact.organization_id}/edit/",
    ]:
        response = auth_client.get(url)
        assert response.status_code == 200, url
