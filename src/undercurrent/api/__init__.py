"""The workbench's HTTP side: a FastAPI app with a REST API under /api and the web pages."""
