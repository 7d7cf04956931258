"""Reading and writing files: participant lists, event settings, plans."""
