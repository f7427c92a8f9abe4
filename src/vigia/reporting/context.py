"""Navigation context: the user's role, unread notifications and pending work."""

from . import permissions as perms
from . import queues


def nav(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"vigia_role": perms.role(user), "unread": user.notifications.filter(read=False).count(), "pending": queues.count(user)}
