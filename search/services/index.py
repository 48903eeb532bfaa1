"""Keep the search index in step with the drafting records. Each call runs in the caller's transaction."""


def index_section(section) -> None:
    """(Re)index a section's current heading and text."""


def index_proposal(proposal) -> None:
    """(Re)index a proposal's title, text and rationale."""


def index_comment(comment) -> None:
    """(Re)index a comment."""


def index_meeting(meeting) -> None:
    """(Re)index a meeting's agenda and minutes."""
