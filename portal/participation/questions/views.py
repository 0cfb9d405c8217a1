"""The citizen's side: ask, get a code and a receipt, look it up, add information, and read the
published answers of the site."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.cache import cache_public, not_stored
from portal.core.models import AdministrativeUnit, PortalSettings
from portal.core.ratelimit import limit
from portal.core.sites import absolute_url, site_for_request, unit_for_site
from portal.core.text import fold
from portal.eservices.models import ProcedureArea

from . import handling
from .forms import AskForm, LookupForm, MoreInformationForm
from .models import PUBLIC_EVENTS, Question, Status
from .receipt import render_receipt

SESSION_CODES = "questions_codes"
PER_PAGE = 20


def _allow(request, code):
    codes = request.session.get(SESSION_CODES, [])
    if code not in codes:
        request.session[SESSION_CODES] = [*codes[-19:], code]


def _allowed_question(request, code):
    """A question this browser sent or looked up with its phone number (kept in the session)."""
    if code not in request.session.get(SESSION_CODES, []):
        raise Http404
    return get_object_or_404(Question, code=code, anonymised_at__isnull=True)


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    return response


def _organisation(site):
    return PortalSettings.for_site(site).organisation_name if site else ""


def receipt_pdf(question) -> bytes:
    site = question.site
    lookup = absolute_url(site, reverse("questions:lookup")) + f"?ma={question.code}"
    return render_receipt(question, _organisation(site) or "Ủy ban nhân dân", lookup)


# --- asking -------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
@limit("question")
def ask(request):
    site = site_for_request(request)
    unit = unit_for_site(site)
    if request.method == "POST":
        form = AskForm(request.POST, request.FILES, unit=unit)
        if form.is_valid() and form.is_robot():
            form.add_error(None, _("The question could not be sent. Please try again."))
        elif form.is_valid():
            data = form.cleaned_data
            question, _created = handling.submit_question(
                data,
                data["attachments"],
                form.submission_key(),
                str(form.fields["consent"].label),
                site=site,
            )
            _allow(request, question.code)
            return redirect("questions:done", code=question.code)
    else:
        form = AskForm(unit=unit)
    # A browser never refills a file input: after an error the page asks to choose them again.
    files_lost = bool(request.FILES) and bool(form.errors)
    return _no_store(
        render(request, "questions/ask.html", {"form": form, "files_lost": files_lost})
    )


@never_cache
def done(request, code):
    question = _allowed_question(request, code)
    return _no_store(render(request, "questions/done.html", {"question": question}))


@never_cache
def receipt(request, code):
    question = _allowed_question(request, code)
    response = HttpResponse(receipt_pdf(question), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="phieu-hoi-dap-{question.code}.pdf"'
    return _no_store(response)


# --- looking up ---------------------------------------------------------------------------------
def _status_context(question):
    return {
        "question": question,
        "events": [e for e in question.events.all() if e.event in PUBLIC_EVENTS],
        "more_form": MoreInformationForm() if question.status == Status.WAITING else None,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@limit("lookup")
def lookup(request):
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")[:40]})
    question = None
    if request.method == "POST" and form.is_valid():
        candidate = Question.objects.filter(
            code=form.cleaned_data["code"], anonymised_at__isnull=True
        ).first()
        if candidate and handling.matches_phone(candidate, form.cleaned_data["phone"]):
            question = candidate
            _allow(request, question.code)
        else:
            form.add_error(
                None, _("No question matches this code and phone number. Check both and retry.")
            )
    elif request.GET.get("ma") in request.session.get(SESSION_CODES, []):
        question = Question.objects.filter(
            code=request.GET["ma"], anonymised_at__isnull=True
        ).first()
    context = {"form": form}
    if question is not None:
        context.update(_status_context(question))
    return _no_store(render(request, "questions/lookup.html", context))


@never_cache
@require_http_methods(["POST"])
@limit("question")
def more_information(request, code):
    question = _allowed_question(request, code)
    if question.status != Status.WAITING:
        return redirect(reverse("questions:lookup") + f"?ma={question.code}")
    form = MoreInformationForm(request.POST)
    if form.is_valid():
        handling.give_information(question, form.cleaned_data["text"])
        return redirect(reverse("questions:lookup") + f"?ma={question.code}&da_bo_sung=1")
    context = {"form": LookupForm(), **_status_context(question), "more_form": form}
    return _no_store(render(request, "questions/lookup.html", context))


# --- the published answers ----------------------------------------------------------------------
def published_for(site):
    return Question.objects.published().filter(site=site)


@cache_public
def answers(request):
    site = site_for_request(request)
    questions = published_for(site).select_related("area", "unit")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        for word in fold(query).split():
            questions = questions.filter(public_text_folded__contains=word)
    area = request.GET.get("linh_vuc", "")
    if area.isdigit():
        questions = questions.filter(area_id=int(area))
    unit = request.GET.get("don_vi", "")
    if unit.isdigit():
        questions = questions.filter(unit_id=int(unit))
    page = Paginator(questions.order_by("-answered_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("trang")
    )
    published = published_for(site)
    context = {
        "page": page,
        "query": query,
        "area": area,
        "unit": unit,
        "areas": ProcedureArea.objects.filter(pk__in=published.exclude(area=None).values("area")),
        "units": AdministrativeUnit.objects.filter(
            pk__in=published.exclude(unit=None).values("unit")
        ).order_by("name"),
        "filtered": bool(query or area or unit),
    }
    response = render(request, "questions/answers.html", context)
    return not_stored(response) if query else response


@cache_public
def answer_detail(request, pk):
    site = site_for_request(request)
    question = get_object_or_404(
        published_for(site).select_related("area", "unit").filter(~Q(answer="")), pk=pk
    )
    return render(request, "questions/answer_detail.html", {"question": question})
