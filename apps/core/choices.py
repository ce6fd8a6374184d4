"""Enumerations shared by several apps."""

from django.db import models


class Channel(models.TextChoices):
    """Where a relationship or a conversation happened: one list for contacts, interactions,
    opportunities and the channel report."""

    LINKEDIN = "linkedin", "LinkedIn"
    TWITTER = "twitter", "Twitter / X"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "Coffee / in person"
    EVENT = "event", "Event / meetup"
    ALUMNI = "alumni", "Alumni network"
    REFERRAL = "referral", "Referral / introduction"
    JOB_BOARD = "job_board", "Job board"
    OTHER = "other", "Other"
