"""Search over the Concept: one page, reached from the box in the header."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from drafting.context_processors import navigation_concept
from drafting.selectors.outline import concept_outline, flatten
from search import selectors
from search.forms import SearchForm


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Every signed-in member may search everything they can read, which is everything."""
    concept = navigation_concept()
    outline = flatten(concept_outline(concept)) if concept else []
    form = SearchForm(request.GET, outline=outline)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        results = selectors.search(
            query=data["q"],
            kind=data["kind"],
            section=data["section"],
            author=data["author"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            page_number=request.GET.get("page", 1),
        )
        numbers = {node.section.pk: node.number for node in outline}
        for entry in results.page or ():
            entry.number = numbers.get(entry.section_id)
    context = {"form": form, "results": results}
    return render(request, "search/results.html", context, status=400 if form.errors else 200)
