"""What opportunities announce to the apps above them, which subscribe in their ready().

Each is sent inside the write's transaction, so a receiver's error rolls the write back.
"""

from django.dispatch import Signal

# `person` (an OpportunityContact) was just added to an opportunity.
person_added = Signal()

# `opportunity` moved; `change` is the StageChange appended.
stage_moved = Signal()

# `interview` (an InterviewRound) was created or changed; its interviewers are set.
interview_saved = Signal()
