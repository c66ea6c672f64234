"""Runnable examples of services built on the generated package (see README, "Services")."""
