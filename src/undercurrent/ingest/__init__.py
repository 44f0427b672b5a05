"""Reading reports from files and folders."""
