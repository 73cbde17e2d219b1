"""Caregivers: invitations, the links and their switches (commands.py), and what caregivers
receive, each alert an event in the caregiver's chat (alerts.py)."""

from __future__ import annotations

from handlers.caregivers.commands import register

__all__ = ["register"]
