"""Test support shared by every app: factories, a named cast of users and units, the permission matrix."""
