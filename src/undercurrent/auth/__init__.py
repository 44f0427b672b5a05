"""Users, roles, password hashes and API tokens of the workbench."""
