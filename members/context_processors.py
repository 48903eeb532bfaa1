def current_expert(request):
    """The signed-in person's Working Group profile, for the header (None for staff-only accounts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_expert": getattr(user, "expert", None)}
