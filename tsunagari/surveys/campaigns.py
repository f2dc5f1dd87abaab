"""Survey campaigns (調査キャンペーン): the item bank, what a respondent sees, results and
the before/after paired report (事前・事後の比較).

Results are read with a handful of grouped queries whatever the number of responses,
and only once there are enough answers that a single person's cannot be picked out
(MIN_RESPONSES, MIN_PAIRS).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tsunagari.surveys import national, scoring, stats
from tsunagari.surveys.items import (
    KANAGAWA_SATISFIED_BASELINE,
    STANDARD_ITEMS,
    UCLA_CODES,
    StandardItem,
    Wording,
)
from tsunagari.surveys.models import (
    Campaign,
    CampaignAnswer,
    CampaignItem,
    CampaignResponse,
    Channel,
    Item,
)

# Below these, results stay hidden: answers arriving one by one could be told apart.
MIN_RESPONSES = 10
MIN_PAIRS = 10
STANDARD_ORDER = {code: i for i, code in enumerate(STANDARD_ITEMS)}
ORDINAL_KINDS = (Item.Kind.UCLA, Item.Kind.DIRECT, Item.Kind.SATISFACTION, Item.Kind.LIKERT)
SATISFIED_VALUES = (1, 2)  # 十分 + かなり満たされている


# Who sees which campaigns and items.


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    """The campaigns a user runs: their organisations', or every one for the secretariat."""
    qs = Campaign.objects.select_related("organization")
    if getattr(user, "is_secretariat", False):
        return qs
    if getattr(user, "is_member_staff", False):
        return qs.filter(organization_id__in=user.organization_ids)
    return qs.none()


def can_run_campaigns(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False) or getattr(user, "is_member_staff", False))


def standard_first(items: Iterable[Item]) -> list[Item]:
    """Standard items in the order of items.STANDARD_ITEMS, then the others by age."""
    return sorted(
        items,
        key=lambda item: (STANDARD_ORDER.get(item.code or "", len(STANDARD_ORDER)), item.pk),
    )


def bank_for_user(user: Any) -> list[Item]:
    """The item bank page: standard items, then the user's organisations' own (every
    organisation's for the secretariat)."""
    qs = Item.objects.select_related("organization")
    if not getattr(user, "is_secretariat", False):
        qs = qs.filter(Q(code__isnull=False) | Q(organization_id__in=user.organization_ids))
    return standard_first(qs)


def bank_for_campaign(organization_id: int | None) -> list[Item]:
    """Items a campaign may use: standard ones and its organiser's own (for a secretariat
    campaign, the secretariat's own items)."""
    own = (
        Q(organization_id=organization_id, code__isnull=True)
        if organization_id
        else Q(organization__isnull=True, code__isnull=True)
    )
    return standard_first(Item.objects.filter(Q(code__isnull=False) | own))


# What a respondent sees.


@dataclass(frozen=True)
class Question:
    """One item as shown in one wording."""

    item: Item
    text: str
    options: list[tuple[int, str]]
    standard: StandardItem | None

    @property
    def field_name(self) -> str:
        return f"item_{self.item.pk}"

    @property
    def optional(self) -> bool:
        """The satisfaction item has 無回答 among its answers: leaving it blank is that."""
        return self.item.kind == Item.Kind.SATISFACTION


def no_answer_value(item: Item) -> int | None:
    standard = item.standard
    return standard.non_substantive[-1] if standard and standard.non_substantive else None


def question(item: Item, wording: str) -> Question:
    standard: StandardItem | None = item.standard
    if standard is not None:
        if wording == Wording.EASY:
            return Question(
                item, standard.easy, [(o.value, o.easy) for o in standard.options], standard
            )
        return Question(
            item, str(standard.text), [(o.value, str(o.label)) for o in standard.options], standard
        )
    english = wording == Wording.EN
    text = (item.text_en if english and item.text_en else item.text) or ""
    options = [
        (int(o["value"]), (o.get("label_en") if english and o.get("label_en") else o["label"]))
        for o in item.options
    ]
    return Question(item, text, options, None)


def entries_of(campaign: Campaign) -> list[CampaignItem]:
    return list(campaign.entries.select_related("item").order_by("position", "pk"))


def questions(campaign: Campaign, wording: str) -> list[Question]:
    return [question(entry.item, wording) for entry in entries_of(campaign)]


def option_label(item: Item, value: int) -> str:
    for v, label in question(item, Wording.JA).options:
        if v == value:
            return label
    return str(value)


# Results.


@dataclass
class OptionCount:
    value: int
    label: str
    n: int
    share: float


@dataclass
class ItemResult:
    item: Item
    text: str
    answered: int
    options: list[OptionCount]
    mean: float | None = None
    scale: str = ""
    lonely_share: float | None = None  # direct question: levels 3–5
    satisfied_share: float | None = None  # satisfaction item: 十分 + かなり


@dataclass
class UclaResult:
    n: int
    bands: list[OptionCount]
    lonely_share: float  # score 7–12


@dataclass
class ChannelCount:
    channel: str
    channel_label: str
    phase: str
    phase_label: str
    n: int


@dataclass
class Results:
    total: int
    counts: list[ChannelCount]
    items: list[ItemResult] = field(default_factory=list)
    ucla: UclaResult | None = None

    @property
    def shown(self) -> bool:
        return self.total >= MIN_RESPONSES

    @property
    def still_needed(self) -> int:
        return max(0, MIN_RESPONSES - self.total)


def percent(n: int, total: int) -> float:
    return 100.0 * n / total if total else 0.0


def response_counts(campaign: Campaign) -> list[ChannelCount]:
    rows = (
        campaign.responses.order_by()
        .values("channel", "phase")
        .annotate(n=Count("id"))
        .order_by("channel", "phase")
    )
    channels = dict(Channel.choices)
    phases = dict(CampaignResponse.Phase.choices)
    return [
        ChannelCount(
            row["channel"],
            str(channels.get(row["channel"], row["channel"])),
            row["phase"],
            str(phases.get(row["phase"], row["phase"])),
            row["n"],
        )
        for row in rows
    ]


def _scale_of(item: Item, options: list[tuple[int, str]]) -> str:
    substantive = [v for v, _label in options if v not in _non_substantive(item)]
    return f"{min(substantive)}–{max(substantive)}" if substantive else ""


def _non_substantive(item: Item) -> tuple[int, ...]:
    standard = item.standard
    return standard.non_substantive if standard else ()


def item_result(item: Item, counts: dict[int, int]) -> ItemResult:
    shown = question(item, Wording.JA)
    answered = sum(counts.values())
    options = [
        OptionCount(value, label, counts.get(value, 0), percent(counts.get(value, 0), answered))
        for value, label in shown.options
    ]
    result = ItemResult(item, shown.text, answered, options)
    if item.kind in ORDINAL_KINDS:
        skip = _non_substantive(item)
        values = [(v, n) for v, n in counts.items() if v not in skip]
        weight = sum(n for _v, n in values)
        if weight:
            result.mean = sum(v * n for v, n in values) / weight
        result.scale = _scale_of(item, shown.options)
    if item.kind == Item.Kind.DIRECT:
        lonely = sum(n for v, n in counts.items() if v >= scoring.DIRECT_LONELY)
        result.lonely_share = percent(lonely, answered)
    if item.kind == Item.Kind.SATISFACTION:
        # Of everyone who answered the item, 分からない and 無回答 included, as the
        # 県民ニーズ調査 reports it.
        satisfied = sum(counts.get(v, 0) for v in SATISFIED_VALUES)
        result.satisfied_share = percent(satisfied, answered)
    return result


def ucla_item_ids(entries: Sequence[CampaignItem]) -> list[int]:
    ids = {entry.item.code: entry.item_id for entry in entries if entry.item.code in UCLA_CODES}
    return [ids[code] for code in UCLA_CODES] if len(ids) == len(UCLA_CODES) else []


def ucla_result(campaign: Campaign, ucla_ids: list[int]) -> UclaResult | None:
    """The distribution of the indirect score (sum of the three items) by band."""
    scores = (
        CampaignAnswer.objects.filter(response__campaign=campaign, item_id__in=ucla_ids)
        .order_by()
        .values("response_id")
        .annotate(score=Sum("value"), k=Count("id"))
        .filter(k=len(ucla_ids))
        .values_list("score", flat=True)
    )
    by_band: dict[str, int] = defaultdict(int)
    for score in scores:
        by_band[scoring.band_of(score)] += 1
    n = sum(by_band.values())
    if not n:
        return None
    labels = dict(scoring.Band.choices)
    bands = [
        OptionCount(i, str(labels[band]), by_band[band], percent(by_band[band], n))
        for i, band in enumerate(scoring.BAND_ORDER)
    ]
    lonely = sum(by_band[b] for b in (scoring.Band.SOMETIMES, scoring.Band.ALWAYS))
    return UclaResult(n, bands, percent(lonely, n))


def results(campaign: Campaign, entries: list[CampaignItem] | None = None) -> Results:
    counts = response_counts(campaign)
    outcome = Results(sum(c.n for c in counts), counts)
    if not outcome.shown:
        return outcome
    entries = entries_of(campaign) if entries is None else entries
    per_item: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        CampaignAnswer.objects.filter(response__campaign=campaign)
        .order_by()
        .values_list("item_id", "value")
        .annotate(n=Count("id"))
    )
    for item_id, value, n in rows:
        per_item[item_id][value] = n
    outcome.items = [item_result(entry.item, per_item.get(entry.item_id, {})) for entry in entries]
    ids = ucla_item_ids(entries)
    if ids:
        outcome.ucla = ucla_result(campaign, ids)
    return outcome


@dataclass(frozen=True)
class NationalFigure:
    label: str
    value: float


def national_direct() -> list[NationalFigure]:
    return [
        NationalFigure(str(s.era_label), s.direct_lonely)
        for s in national.SURVEYS
        if s.direct_lonely is not None
    ]


def national_indirect() -> list[NationalFigure]:
    return [
        NationalFigure(str(s.era_label), s.indirect_lonely)
        for s in national.SURVEYS
        if s.indirect_lonely is not None
    ]


SATISFIED_BASELINE = KANAGAWA_SATISFIED_BASELINE


# The paired report (事前・事後の比較).


@dataclass
class Measure:
    key: str
    label: str
    scale: str
    higher_is_better: bool
    result: stats.PairedResult

    @property
    def direction(self) -> str:
        return _("数字が大きいほど良い") if self.higher_is_better else _("数字が小さいほど良い")

    @property
    def reading(self) -> str:
        return plain_reading(self)


@dataclass
class Report:
    pairs: int
    unpaired_before: int
    unpaired_after: int
    measures: list[Measure]

    @property
    def shown(self) -> bool:
        return self.pairs >= MIN_PAIRS

    @property
    def still_needed(self) -> int:
        return max(0, MIN_PAIRS - self.pairs)


Answers = dict[int, int]  # item pk → value


def collect_pairs(campaign: Campaign) -> tuple[list[tuple[Answers, Answers]], int, int]:
    """(before answers, after answers) of every code that answered both phases, and the
    counts of unpaired before and after responses (a response without a code never pairs)."""
    phases: tuple[str, str] = (CampaignResponse.Phase.BEFORE, CampaignResponse.Phase.AFTER)
    keyed: dict[str, dict[str, Answers]] = defaultdict(dict)
    unpaired: dict[str, int] = {phase: 0 for phase in phases}
    for key, phase in campaign.responses.filter(phase__in=phases).values_list("pair_key", "phase"):
        if key:
            keyed[key][phase] = {}
        else:
            unpaired[phase] += 1
    answers = (
        CampaignAnswer.objects.filter(response__campaign=campaign, response__phase__in=phases)
        .exclude(response__pair_key="")
        .values_list("response__pair_key", "response__phase", "item_id", "value")
    )
    for key, phase, item_id, value in answers:
        keyed[key][phase][item_id] = value
    pairs = []
    for both in keyed.values():
        if len(both) == 2:
            pairs.append((both[phases[0]], both[phases[1]]))
        else:
            unpaired[next(iter(both))] += 1
    return pairs, unpaired[phases[0]], unpaired[phases[1]]


def _values(
    pairs: list[tuple[Answers, Answers]], item_ids: list[int], skip: tuple[int, ...] = ()
) -> tuple[list[float], list[float]]:
    """Before and after sums of `item_ids` for the pairs that answered them all, both times,
    with a substantive answer."""
    before: list[float] = []
    after: list[float] = []
    for first, second in pairs:
        a = [first.get(i) for i in item_ids]
        b = [second.get(i) for i in item_ids]
        values = [v for v in (*a, *b)]
        if any(v is None or v in skip for v in values):
            continue
        before.append(float(sum(v for v in a if v is not None)))
        after.append(float(sum(v for v in b if v is not None)))
    return before, after


def paired_report(campaign: Campaign) -> Report:
    pairs, unpaired_before, unpaired_after = collect_pairs(campaign)
    report = Report(len(pairs), unpaired_before, unpaired_after, [])
    if not report.shown:
        return report
    entries = entries_of(campaign)
    ucla_ids = ucla_item_ids(entries)
    if ucla_ids:
        before, after = _values(pairs, ucla_ids)
        report.measures.append(
            Measure(
                "ucla_score",
                _("孤独感の得点（UCLA 3項目の合計）"),
                "3–12",
                False,
                stats.paired(before, after, higher_is_better=False),
            )
        )
    for entry in entries:
        item = entry.item
        # With the three UCLA items present, their sum stands for them.
        if item.kind not in ORDINAL_KINDS or (ucla_ids and item.kind == Item.Kind.UCLA):
            continue
        standard = item.standard
        better_up = standard.higher_is_better if standard else item.higher_is_better
        shown = question(item, Wording.JA)
        before, after = _values(pairs, [item.pk], _non_substantive(item))
        report.measures.append(
            Measure(
                f"item_{item.pk}",
                shown.text,
                _scale_of(item, shown.options),
                better_up,
                stats.paired(before, after, higher_is_better=better_up),
            )
        )
    return report


def plain_reading(measure: Measure) -> str:
    """What the figures say, and no more: no cause, and caution with few pairs."""
    r = measure.result
    if r.n < 2 or r.mean_change is None:
        return _("比べられる組が少なく、変化を読み取れません。")
    if r.mean_change == 0:
        return _("平均は変わりませんでした。")
    better = (r.mean_change > 0) == measure.higher_is_better
    way = _("良い方向") if better else _("悪い方向")
    if r.p is not None and r.p < 0.05:
        return _(
            "平均は%(way)sに変わりました。偶然のばらつきだけでは説明しにくい差です（p < 0.05）。"
            "ただし、比べる相手（参加しなかった人）がいないため、活動の効果だと言い切ることは"
            "できません。"
        ) % {"way": way}
    return _(
        "平均は%(way)sに少し変わりましたが、偶然のばらつきでも起こりうる差です（p ≥ 0.05）。"
        "組の数が少ないと差を見つけにくいため、「変化がなかった」という意味でもありません。"
    ) % {"way": way}


# The CSV export.


def csv_table(campaign: Campaign) -> tuple[list[str], list[list[object]]]:
    """A header and rows: one row per response, the month only, and a pair number
    (1..n) for responses whose code answered both phases; never the pair key."""
    entries = entries_of(campaign)
    header = ["response_no", "answered_month", "phase", "pair_no", "channel", "paper", "wording"]
    header += [
        f"q{i}_{entry.item.code or f'item{entry.item_id}'}" for i, entry in enumerate(entries, 1)
    ]
    versions: list[object] = ["scale_version", "", "", "", "", "", ""]
    versions += [entry.item.scale_version for entry in entries]
    # By month, then phase, then the keyed code and the random key: never the order in
    # which the answers came (not even the day's order within a month).
    phase_order: dict[str, int] = {
        CampaignResponse.Phase.BEFORE: 0,
        CampaignResponse.Phase.SINGLE: 1,
    }
    responses = sorted(
        campaign.responses.values_list(
            "pk", "answered_on", "phase", "pair_key", "channel", "wording"
        ),
        key=lambda r: (r[1].replace(day=1), phase_order.get(r[2], 2), r[3], str(r[0])),
    )
    answers: dict[uuid.UUID, dict[int, int]] = defaultdict(dict)
    for response_id, item_id, value in CampaignAnswer.objects.filter(
        response__campaign=campaign
    ).values_list("response_id", "item_id", "value"):
        answers[response_id][item_id] = value
    phases_of: dict[str, set[str]] = defaultdict(set)
    for _pk, _day, phase, key, _c, _w in responses:
        if key:
            phases_of[key].add(phase)
    numbers: dict[str, int] = {}
    rows: list[list[object]] = [versions]
    for number, (pk, day, phase, key, channel, wording) in enumerate(responses, 1):
        pair_no: object = ""
        if key and len(phases_of[key]) == 2:
            pair_no = numbers.setdefault(key, len(numbers) + 1)
        row: list[object] = [
            number,
            f"{day:%Y-%m}",
            phase,
            pair_no,
            channel,
            1 if channel == Channel.PAPER else 0,
            wording,
        ]
        row += [answers[pk].get(entry.item_id, "") for entry in entries]
        rows.append(row)
    return header, rows
