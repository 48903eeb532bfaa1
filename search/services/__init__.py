"""Search: keeping the index of sections, proposals, comments and meetings up to date."""
