"""Navigation context: the user's role and unread notifications."""

from . import permissions as perms


def nav(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"vigia_role": perms.role(user), "unread": user.notifications.filter(read=False).count()}
