"""@mentions in comments: who is named, how the name is shown, and who is told."""


def link_mentions(html: str) -> str:
    """Turn each `@username` of a known person in sanitised comment HTML into a link to the directory."""
    return html


def notify_mentions(*, comment, actor) -> None:
    """Tell the people a comment names (at most a fixed number), in the comment's transaction."""
