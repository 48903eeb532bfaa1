"""Notifications: watches, notices, mail (immediate and digests), @mentions and meeting invitations."""
