"""Pages of the Concept, one module per concern.

Views are thin: check access (views/access.py fetches every object by id), parse a form,
call one service, redirect; reads that shape a page come from drafting.selectors.
"""
