"""Word files in and out: import a draft, export with tracked changes, read an edited file back."""
