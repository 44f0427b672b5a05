"""Server-rendered pages of the workbench; each has a JSON twin at the same path plus `.json`."""
