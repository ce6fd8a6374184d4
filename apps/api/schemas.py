"""The shapes the API reads and writes. Validation of values lives in the forms (formdata.py)."""

import datetime as dt

from ninja import Field, Schema


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict] = Field(default_factory=list)


class Ref(Schema):
    id: int
    name: str


class ContactRef(Schema):
    id: int
    full_name: str


class OrganizationOut(Schema):
    id: int
    name: str
    website: str
    is_target: bool
    notes: str
    contact_count: int | None = None
    created_at: dt.datetime


class OrganizationIn(Schema):
    name: str
    website: str = ""
    is_target: bool = False
    notes: str = ""


class ContactOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    title: str
    organization: Ref | None
    linkedin_url: str
    twitter_handle: str
    facebook_url: str
    instagram_handle: str
    location: str
    channel: str
    warmth: str
    cadence_days: int | None
    connected_on: dt.date | None
    introduced_by_id: int | None
    notes: str
    tags: list[str]
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    last_interaction_at: dt.datetime | None

    @staticmethod
    def resolve_organization(obj):
        org = obj.organization
        return {"id": org.pk, "name": org.name} if org is not None else None

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]


class ContactPatch(Schema):
    """Every field optional: only the ones sent change."""

    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    organization: str | None = Field(None, description="A name; found or created, blank clears.")
    linkedin_url: str | None = None
    twitter_handle: str | None = None
    facebook_url: str | None = None
    instagram_handle: str | None = None
    location: str | None = None
    channel: str | None = None
    warmth: str | None = None
    cadence_days: int | None = None
    connected_on: dt.date | None = None
    introduced_by_id: int | None = None
    notes: str | None = None
    tags: list[str] | None = None


class ContactIn(ContactPatch):
    full_name: str


class ArchiveIn(Schema):
    archived: bool = True


class ContactFilters(Schema):
    q: str = ""
    tag: int | None = None
    organization: int | None = None
    channel: str = ""
    warmth: str = ""
    target: bool = False
    going_cold: bool = False
    archived: str = Field("", description='"" active, "archived" or "all"')
    sort: str = ""


class FollowUpOut(Schema):
    id: int
    contact: ContactRef
    opportunity_id: int | None
    due_at: dt.datetime
    note: str
    status: str
    is_cadence: bool
    completed_at: dt.datetime | None


class ConversationIn(Schema):
    contacts: list[int] = Field(default_factory=list, description="Ids of your contacts.")
    new_contacts: list[str] = Field(default_factory=list, description="Names to add as contacts.")
    summary: str
    kind: str | None = None
    channel: str | None = None
    direction: str | None = None
    occurred_at: dt.datetime | None = Field(None, description="Empty for now.")
    minutes: int | None = None
    gave: str = ""
    asked: str = ""
    asked_referral: bool = False
    opportunity_id: int | None = None
    notes: str = ""
    follow_up_in_days: int | None = Field(None, description="3, 7 or 14; or give follow_up_on.")
    follow_up_on: dt.date | None = None
    follow_up_time: dt.time | None = Field(None, description="Local time; 09:00 when empty.")
    follow_up_note: str = ""
    completes_follow_up_id: int | None = Field(None, description="The follow-up this answers.")


class ConversationOut(Schema):
    id: int
    summary: str
    occurred_at: dt.datetime
    kind: str
    channel: str
    direction: str
    minutes: int
    gave: str
    asked: str
    asked_referral: bool
    notes: str
    opportunity_id: int | None
    contacts: list[ContactRef]
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_contacts(obj):
        return list(obj.contacts.all())

    @staticmethod
    def resolve_follow_ups(obj):
        return list(obj.planned_follow_ups)


class SnoozeIn(Schema):
    days: int | None = Field(None, description="1, 3 or 7")
    date: dt.date | None = None


class FollowUpFilters(Schema):
    status: str = Field("", description="open (default), done, canceled or all")
    due: str = Field("", description='"today": overdue and due by the end of your today')
    contact: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None


class PersonOut(Schema):
    id: int
    contact: ContactRef
    role: str


class OpportunityOut(Schema):
    id: int
    role_title: str
    organization: Ref | None
    posting_url: str
    source_channel: str
    stage: str
    next_step: str
    next_step_due: dt.date | None
    notes: str
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_organization(obj):
        org = obj.organization
        return {"id": org.pk, "name": org.name} if org is not None else None


class OpportunityIn(Schema):
    role_title: str
    organization_id: int | None = None
    organization: str = Field("", description="A new organization's name (or an existing one).")
    posting_url: str = ""
    source_channel: str | None = None
    stage: str | None = None
    next_step: str = ""
    next_step_due: dt.date | None = None
    notes: str = ""
    referrer_id: int | None = None


class OpportunityFilters(Schema):
    q: str = ""
    status: str = ""
    stage: str = ""
    organization: int | None = None
    source_channel: str = ""
    contact: int | None = None


class MoveIn(Schema):
    stage: str


class PersonIn(Schema):
    contact_id: int
    role: str = "referrer"
