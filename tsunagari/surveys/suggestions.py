"""What the self-check's result suggests: places and activities nearby, and
consultation windows (相談窓口), from the directory's published resources.

A resident's answers "what would help" (models.Help) map to the directory's taxonomies
(directory/migrations/0002_taxonomies.py): kinds and target groups choose places and
activities, concerns choose consultation windows. A help that maps to nothing on one
side does not narrow that side.

Area: a resident's municipality finds what is located in it or serves it first, then
what is in or serves its city (a ward's city and the city's other wards), then what
serves the whole prefecture, what is online for anyone, and what has no place at all
(telephone lines). Without a municipality, the whole prefecture.

Who: what the person told us (their age band, what would help, the wording they read)
decides which lines for a specific group may come (`fitting_first`): general lines and
places come first, lines for women, foreign residents, young or older people and so on
only when an answer points there.

Each list is one query plus the directory's fixed prefetches, whatever the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from tsunagari.directory.models import Location, Resource, ResourceQuerySet
from tsunagari.directory.search import PREFECTURE  # serving it serves everyone
from tsunagari.directory.views import CONSULTATION, with_public_details
from tsunagari.geo.models import Municipality
from tsunagari.surveys.items import Wording
from tsunagari.surveys.models import AgeBand, Help

SHOWN = 6  # of each list; the directory has the rest


@dataclass(frozen=True)
class HelpMap:
    """Directory term slugs that answer one Help."""

    kinds: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()


HELP_MAP: dict[str, HelpMap] = {
    Help.TALK: HelpMap(kinds=("ibasho", "online"), targets=("hitorigurashi",)),
    Help.HOBBY: HelpMap(kinds=("culture", "sport", "event", "volunteer")),
    Help.PLACE: HelpMap(kinds=("ibasho",)),
    Help.WORK: HelpMap(kinds=("work", "volunteer"), concerns=("shigoto",)),
    Help.HOUSING: HelpMap(kinds=("housing",), concerns=("seikatsu",)),
    Help.CHILDCARE: HelpMap(targets=("kosodate", "kodomo"), concerns=("kosodate",)),
    Help.MONEY: HelpMap(kinds=("food",), targets=("konkyu",), concerns=("seikatsu",)),
    Help.MIND: HelpMap(concerns=("kokoro",)),
    Help.CARE: HelpMap(targets=("koreisha", "carer"), concerns=("kaigo",)),
    Help.LEARNING: HelpMap(kinds=("learning", "study")),
}


def _merged(helps: Iterable[str]) -> HelpMap:
    maps = [HELP_MAP[h] for h in helps if h in HELP_MAP]

    def union(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(slug for m in maps for slug in getattr(m, name)))

    return HelpMap(kinds=union("kinds"), targets=union("targets"), concerns=union("concerns"))


def _with_terms(relation: str, term: str, slugs: tuple[str, ...]) -> Q:
    """Resources with any of the terms, as an IN (subquery): no join, no duplicates."""
    through = getattr(Resource, relation).through
    return Q(pk__in=through.objects.filter(**{f"{term}__slug__in": slugs}).values("resource_id"))


def _area_codes(code: str) -> QuerySet[Municipality, Any]:
    """The place and its wards (a designated city has them), as a subquery."""
    return Municipality.objects.filter(Q(pk=code) | Q(parent_id=code)).values("pk")


def _in_or_serving(codes: QuerySet[Municipality, Any]) -> Q:
    through = Resource.service_area.through
    return Q(pk__in=Location.objects.filter(municipality_id__in=codes).values("resource_id")) | Q(
        pk__in=through.objects.filter(municipality_id__in=codes).values("resource_id")
    )


def _anywhere() -> Q:
    """Usable wherever one lives: serving the prefecture, online without a service area,
    or with neither a place nor an area (a telephone line)."""
    through = Resource.service_area.through
    with_area = through.objects.values("resource_id")
    with_place = Location.objects.values("resource_id")
    return (
        Q(pk__in=through.objects.filter(municipality_id=PREFECTURE).values("resource_id"))
        | (Q(is_online=True) & ~Q(pk__in=with_area))
        | (~Q(pk__in=with_area) & ~Q(pk__in=with_place))
    )


def nearby(qs: ResourceQuerySet, municipality: Municipality | None) -> ResourceQuerySet:
    """`qs` within reach of the municipality, annotated with `closeness` (0 here, 1 in
    the same city, 2 anywhere in the prefecture)."""
    if municipality is None or municipality.pk == PREFECTURE:
        return qs.annotate(closeness=Value(0, output_field=IntegerField()))
    here = _in_or_serving(_area_codes(str(municipality.pk)))
    city = _in_or_serving(_area_codes(municipality.city_code))
    return qs.filter(here | city | _anywhere()).annotate(
        closeness=Case(
            When(here, then=Value(0)),
            When(city, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


@dataclass(frozen=True)
class Person:
    """What the person told us; every answer is optional."""

    municipality: Municipality | None = None
    age_band: str = ""
    helps: tuple[str, ...] = ()
    wording: str = Wording.JA  # the wording they read: ja, easy or en (items.wording_for)


# Target groups that are anyone's: a resource with one of them is for everyone.
FOR_EVERYONE = ("everyone",)
# Target groups an age band points to (若者: up to 39, as in the national youth policy;
# 高齢者: from 65, so the whole of the 60s band may be).
AGE_GROUPS: dict[str, tuple[str, ...]] = {
    AgeBand.TEENS: ("kodomo", "wakamono"),
    AgeBand.TWENTIES: ("wakamono",),
    AgeBand.THIRTIES: ("wakamono",),
    AgeBand.SIXTIES: ("koreisha",),
    AgeBand.SEVENTIES: ("koreisha",),
    AgeBand.EIGHTIES: ("koreisha",),
}
FOREIGN_RESIDENTS = "gaikoku"
JAPANESE = ("ja", "ja-x-easy")  # directory language codes a Japanese reader can use
# The directory's language a wording's reader looks for first.
READS: dict[str, str] = {Wording.EN: "en", Wording.EASY: "ja-x-easy"}


def groups_pointed_at(person: Person) -> tuple[str, ...]:
    """The target groups the person's own answers point to: their age band, English
    wording (foreign residents) and what would help (HELP_MAP targets). Nothing else:
    we do not know anyone's gender, nationality or situation unless they said so."""
    groups = [*AGE_GROUPS.get(person.age_band, ()), *_merged(person.helps).targets]
    if person.wording == Wording.EN:
        groups.append(FOREIGN_RESIDENTS)
    return tuple(dict.fromkeys(groups))


def fitting_first(
    qs: ResourceQuerySet, person: Person, *, strong: bool = False, hours: bool = False
) -> ResourceQuerySet:
    """The rule for what a person sees first, in this order:

    1. what is for anyone or for a group the person's answers point to; what is only for
       another group (women, foreign residents, young or older people, LGBTQ, …), or for
       a Japanese reader not offered in Japanese, after everything else (`fitting` then
       leaves it out unless nothing else was found);
    2. what is offered in the language of their wording (English for English, やさしい
       日本語 for やさしい日本語);
    3. with strong answers, 24-hour lines (`hours`: for consultation windows);
    4. the nearest: their ward or city, then its city, then prefecture-wide lines;
    5. 24-hour lines before the others;
    6. by name.
    """
    targets = Resource.target_groups.through.objects
    languages = Resource.languages.through.objects
    open_to = (*FOR_EVERYONE, *groups_pointed_at(person))
    other_group = Q(pk__in=targets.values("resource_id")) & ~Q(
        pk__in=targets.filter(targetgroup__slug__in=open_to).values("resource_id")
    )
    if person.wording != Wording.EN:
        other_group |= Q(pk__in=languages.values("resource_id")) & ~Q(
            pk__in=languages.filter(language_id__in=JAPANESE).values("resource_id")
        )
    unspoken: Value | Case = Value(0, output_field=IntegerField())
    if read := READS.get(person.wording):
        spoken = Q(pk__in=languages.filter(language_id=read).values("resource_id"))
        unspoken = Case(When(spoken, then=Value(0)), default=Value(1), output_field=IntegerField())
    qs = nearby(qs, person.municipality).annotate(
        for_another_group=Case(
            When(other_group, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        not_in_their_language=unspoken,
    )
    order = ["for_another_group", "not_in_their_language", "closeness", "name_kana", "name", "pk"]
    if hours:
        order.insert(2 if strong else 3, "-is_24h")
    return qs.order_by(*order)


def fitting(found: list[Resource]) -> list[Resource]:
    """`found` (ordered by `fitting_first`) without what is for another group, unless
    nothing else was found."""
    if found and not found[0].for_another_group:  # type: ignore[attr-defined]
        return [r for r in found if not r.for_another_group]  # type: ignore[attr-defined]
    return found


def _is_window() -> Q:
    return _with_terms("kinds", "kind", (CONSULTATION,))


def places(person: Person, limit: int = SHOWN) -> list[Resource]:
    """Places and activities (not consultation windows), fitting and nearest first; one
    more than `limit` is fetched so that the page knows there are more."""
    wanted = _merged(person.helps)
    qs = Resource.objects.published().exclude(_is_window())
    if wanted.kinds or wanted.targets:
        qs = qs.filter(
            _with_terms("kinds", "kind", wanted.kinds)
            | _with_terms("target_groups", "targetgroup", wanted.targets)
        )
    return fitting(list(with_public_details(fitting_first(qs, person))[: limit + 1]))


def windows(person: Person, *, strong: bool, limit: int = SHOWN) -> list[Resource]:
    """Consultation windows about what would help, in the order of `fitting_first`.
    When the answers suggest strong loneliness, 24-hour windows always come along, and
    first."""
    wanted = _merged(person.helps)
    qs = Resource.objects.published().filter(_is_window())
    if wanted.concerns:
        about = _with_terms("concerns", "concern", wanted.concerns)
        qs = qs.filter((about | Q(is_24h=True)) if strong else about)
    ordered = fitting_first(qs, person, strong=strong, hours=True)
    return fitting(list(with_public_details(ordered)[: limit + 1]))


@dataclass
class Suggestions:
    places: list[Resource]
    windows: list[Resource]
    more_places: bool
    more_windows: bool
    places_url: str
    windows_url: str
    strong: bool
    helps: list[str] = field(default_factory=list)


def _single(values: tuple[str, ...]) -> str | None:
    return values[0] if len(values) == 1 else None


def search_url(municipality: Municipality | None, helps: Iterable[str]) -> str:
    """The directory search with the same area and, where one term says it, the kind."""
    wanted = _merged(helps)
    params: dict[str, str] = {}
    if municipality is not None and municipality.pk != PREFECTURE:
        params["municipality"] = str(municipality.pk)
    if (kind := _single(wanted.kinds)) and not wanted.targets:
        params["kind"] = kind
    elif (target := _single(wanted.targets)) and not wanted.kinds:
        params["target"] = target
    url = reverse("directory:search")
    return f"{url}?{urlencode(params)}" if params else url


def consult_url(municipality: Municipality | None, helps: Iterable[str]) -> str:
    """The consultation page with the same area and, if only one, the concern."""
    params: dict[str, str] = {}
    if municipality is not None and municipality.pk != PREFECTURE:
        params["municipality"] = str(municipality.pk)
    if concern := _single(_merged(helps).concerns):
        params["concern"] = concern
    url = reverse("directory:consult")
    return f"{url}?{urlencode(params)}" if params else url


def suggest(
    municipality: Municipality | None,
    helps: Iterable[str],
    *,
    strong: bool,
    age_band: str = "",
    wording: str = Wording.JA,
) -> Suggestions:
    helps = list(helps)
    person = Person(municipality, age_band, tuple(helps), wording)
    found_places = places(person)
    found_windows = windows(person, strong=strong)
    return Suggestions(
        places=found_places[:SHOWN],
        windows=found_windows[:SHOWN],
        more_places=len(found_places) > SHOWN,
        more_windows=len(found_windows) > SHOWN,
        places_url=search_url(municipality, helps),
        windows_url=consult_url(municipality, helps),
        strong=strong,
        helps=helps,
    )
